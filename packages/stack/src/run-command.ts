import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Runs an installed program to completion and returns its stdout; failures name the program and carry its stderr. */
export async function runCommand(file: string, args: string[]): Promise<string> {
  try {
    return (await execFileAsync(file, args, { timeout: 60_000 })).stdout;
  } catch (error) {
    const { code, stderr } = error as { code?: string | number; stderr?: string };
    if (code === "ENOENT") throw new Error(`${file} is not installed (not found on PATH)`);
    throw new Error(`${file} ${args.join(" ")} failed: ${stderr?.trim() || String(error)}`);
  }
}
