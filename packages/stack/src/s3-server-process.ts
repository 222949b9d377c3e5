/**
 * Entry point of the background s3rver that `stack up` starts (and the benchmark, to count its CPU
 * apart): node s3-server-process.js --directory <dir> --port <port> [--address <address>]
 * Runs until SIGTERM or SIGINT. Started with an IPC channel, it answers any message with the
 * requests it has answered so far, per HTTP method.
 */
import { parseArgs } from "node:util";
import { startS3Server } from "./s3-server.js";

const { values } = parseArgs({
  options: {
    directory: { type: "string" },
    port: { type: "string" },
    address: { type: "string", default: "127.0.0.1" },
  },
});
if (!values.directory || !values.port)
  throw new Error("usage: s3-server-process --directory <dir> --port <port> [--address <address>]");

const server = await startS3Server({ directory: values.directory, port: Number(values.port), address: values.address });
console.log(`${new Date().toISOString()} s3rver listening on ${server.endpoint}, data in ${values.directory}`);
process.on("message", () => process.send?.(server.requests()));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    console.log(`${new Date().toISOString()} ${signal}: stopping`);
    void server.close().finally(() => process.exit(0));
  });
}
