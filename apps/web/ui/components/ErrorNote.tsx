/** An error said in words, announced to screen readers as it appears. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      <span aria-hidden="true">✕ </span>
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}
