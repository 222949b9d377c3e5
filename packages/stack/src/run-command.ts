import { execFile } from "node:child_process";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Whom to run a program as (a non-root user where a program refuses root, as PostgreSQL does). */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Runs an installed program to completion and returns its stdout; failures name the program and carry its stderr. */
export async function runCommand(file: string, args: string[], runAs?: RunAs): Promise<string> {
  try {
    return (await execFileAsync(file, args, { timeout: 60_000, ...runAs })).stdout;
  } catch (error) {
    const { code, stderr } = error as { code?: string | number; stderr?: string };
    if (code === "ENOENT") throw new Error(`${file} is not installed (not found on PATH)`);
    throw new Error(`${file} ${args.join(" ")} failed: ${stderr?.trim() || String(error)}`);
  }
}
