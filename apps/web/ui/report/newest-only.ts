/**
 * Wraps a read that runs again and again (on every live update) so that `apply` gets a reply only
 * if no later read's reply has come first: two reads in flight can answer out of order, and an
 * older reply must not overwrite a newer one (the report would stay at "Processing" once its
 * stream has ended). A read's failure is the caller's to handle.
 */
export function newestOnly<T>(read: () => Promise<T>, apply: (value: T) => void): () => Promise<void> {
  let started = 0;
  let applied = 0;
  return async () => {
    const call = ++started;
    const value = await read();
    if (call < applied) return;
    applied = call;
    apply(value);
  };
}
