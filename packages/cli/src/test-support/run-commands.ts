import { Command } from "commander";
import { vi } from "vitest";

/** Runs `leukoflow <args>` in-process with the given commands registered; returns what it printed to stdout (stderr is silenced). */
export async function runCommands(
  register: ReadonlyArray<(program: Command) => void>,
  args: string[],
): Promise<string> {
  const program = new Command("leukoflow").exitOverride();
  for (const add of register) add(program);
  const chunks: string[] = [];
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (chunks.push(String(chunk)), true));
  const log = vi.spyOn(console, "log").mockImplementation((line) => void chunks.push(`${String(line)}\n`));
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    await program.parseAsync(args, { from: "user" });
  } finally {
    stdout.mockRestore();
    log.mockRestore();
    stderr.mockRestore();
  }
  return chunks.join("");
}
