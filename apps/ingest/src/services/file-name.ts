const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;
const MAX_LENGTH = 255;

/**
 * The name a client gave a file, as LeukoFlow records and shows it: the last path segment only, no
 * control characters (Postgres text cannot hold NUL), Unicode in NFC, at most 255 characters. It
 * never becomes part of a storage key; those are made from ids.
 */
export function safeFileName(raw: string | undefined): string {
  const lastSegment = (raw ?? "").split(/[/\\]/).at(-1) ?? "";
  const cleaned = lastSegment.replace(CONTROL_CHARACTERS, "").normalize("NFC").trim();
  const name = cleaned === "." || cleaned === ".." ? "" : cleaned;
  return Array.from(name).slice(0, MAX_LENGTH).join("") || "unnamed";
}
