import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { stateFiles } from "./state-files.js";

export const STACK_ENV_KEYS = [
  "DATABASE_URL",
  "REDIS_URL",
  "S3_ENDPOINT",
  "S3_REGION",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
] as const;

/** The variables a LeukoFlow process needs to use the stack that `stack up` resolved. */
export type StackEnv = Record<(typeof STACK_ENV_KEYS)[number], string>;

/** Written as KEY=value lines, so a shell can `set -a; . .leukoflow/stack.env` too. */
export function writeStackEnv(stateDir: string, env: StackEnv): void {
  const lines = STACK_ENV_KEYS.map((key) => `${key}=${env[key]}`);
  writeFileSync(stateFiles(stateDir).stackEnv, `# written by leukoflow stack up\n${lines.join("\n")}\n`);
}

/** What the last `stack up` recorded, or null when the stack is not up. */
export function loadStackEnv(stateDir: string): Record<string, string> | null {
  const file = stateFiles(stateDir).stackEnv;
  if (!existsSync(file)) return null;
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}

export function removeStackEnv(stateDir: string): void {
  rmSync(stateFiles(stateDir).stackEnv, { force: true });
}
