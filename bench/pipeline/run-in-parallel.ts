/** Runs `work` over every input with `parallel` in flight, calling `onDone` after each; resolves to the seconds taken. */
export async function runInParallel<T>(
  inputs: readonly T[],
  parallel: number,
  work: (input: T) => Promise<unknown>,
  onDone: (done: number) => void = () => {},
): Promise<number> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < inputs.length) {
        await work(inputs[next++]!);
        onDone(++done);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}
