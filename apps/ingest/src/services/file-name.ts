const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Unicode's bidirectional marks, embeddings, overrides and isolates: they let a name display reversed (`report\u202Egpj.exe`). */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const MAX_LENGTH = 255;

/**
 * The name a client gave a file, as LeukoFlow records and shows it: the last path segment only, no
 * control characters (Postgres text cannot hold NUL) nor bidirectional controls (they spoof names in
 * the UI and the CSV), Unicode in NFC, at most 255 characters. It never becomes part of a storage
 * key; those are made from ids.
 */
export function safeFileName(raw: string | undefined): string {
  const lastSegment = (raw ?? "").split(/[/\\]/).at(-1) ?? "";
  const cleaned = lastSegment.replace(CONTROL_CHARACTERS, "").replace(BIDI_CONTROLS, "").normalize("NFC").trim();
  const name = cleaned === "." || cleaned === ".." ? "" : cleaned;
  return Array.from(name).slice(0, MAX_LENGTH).join("") || "unnamed";
}
