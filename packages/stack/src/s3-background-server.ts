import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { processRuns, readPidFile, stopProcess } from "./processes.js";
import { stateFiles } from "./state-files.js";
import { waitUntil } from "./wait.js";

const ENTRY_SCRIPT = fileURLToPath(new URL("./s3-server-process.js", import.meta.url));
const ENTRY_NAME = "s3-server-process";

/** The pid of the background s3rver `stack up` started, when it still runs. */
export function stackS3ServerPid(stateDir: string): number | null {
  const pid = readPidFile(stateFiles(stateDir).s3Pid);
  return pid !== null && processRuns(pid, ENTRY_NAME) ? pid : null;
}

/** Starts s3rver as a detached process that outlives this one; returns once `endpoint` answers. */
export async function startBackgroundS3Server(
  endpoint: string,
  stateDir: string,
  answers: () => Promise<boolean>,
): Promise<void> {
  const files = stateFiles(stateDir);
  mkdirSync(files.s3Data, { recursive: true });
  const url = new URL(endpoint);
  const log = openSync(files.s3Log, "a");
  const child = spawn(
    process.execPath,
    [
      ENTRY_SCRIPT,
      "--directory",
      files.s3Data,
      "--port",
      url.port || "80",
      "--address",
      url.hostname.replace(/^\[|\]$/g, ""),
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  closeSync(log);
  child.unref();
  let exitCode: number | null = null;
  child.once("exit", (code) => (exitCode = code ?? -1));
  try {
    await waitUntil(async () => {
      if (exitCode !== null)
        throw new Error(`s3rver exited with code ${exitCode} before answering at ${endpoint} (log: ${files.s3Log})`);
      return answers();
    }, `s3rver did not answer at ${endpoint} (log: ${files.s3Log})`);
  } catch (error) {
    child.kill();
    throw error;
  }
  writeFileSync(files.s3Pid, `${child.pid}\n`);
}

/** Stops the background s3rver; returns whether one was running. */
export async function stopStackS3Server(stateDir: string): Promise<boolean> {
  const pid = stackS3ServerPid(stateDir);
  if (pid !== null) await stopProcess(pid, ENTRY_NAME);
  rmSync(stateFiles(stateDir).s3Pid, { force: true });
  return pid !== null;
}
