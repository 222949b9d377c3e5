import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";
import { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY, type S3ServerOptions } from "./s3-server.js";

const ENTRY_SCRIPT = fileURLToPath(new URL("./s3-server-process.js", import.meta.url));

export interface S3ServerChild {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Its process, whose CPU is then the object store's alone. */
  pid: number;
  /** Requests answered so far, per HTTP method. */
  requests(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** s3rver in a child process of this one (on 127.0.0.1), for a benchmark that counts the object store's CPU apart from its own. */
export async function startS3ServerChild(options: Omit<S3ServerOptions, "address">): Promise<S3ServerChild> {
  const port = options.port || (await freePort());
  const child = spawn(process.execPath, [ENTRY_SCRIPT, "--directory", options.directory, "--port", String(port)], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
    void exited.then(([code]) => reject(new Error(`s3rver exited with code ${String(code)} before listening`)));
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: S3RVER_ACCESS_KEY_ID,
    secretAccessKey: S3RVER_SECRET_ACCESS_KEY,
    pid: child.pid!,
    requests: async () => {
      child.send("requests");
      const [counts] = (await once(child, "message")) as [Record<string, number>];
      return counts;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await exited;
    },
  };
}
