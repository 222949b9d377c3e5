import type { Server } from "node:http";
import S3rver from "s3rver";

/** s3rver accepts only its built-in account. */
export const S3RVER_ACCESS_KEY_ID = "S3RVER";
export const S3RVER_SECRET_ACCESS_KEY = "S3RVER";

export interface S3ServerOptions {
  /** Where buckets and objects are kept on disk. */
  directory: string;
  /** 0 picks a free port. */
  port?: number;
  address?: string;
}

export interface RunningS3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Requests answered so far, per HTTP method (GET, PUT, HEAD…): what a lab's object store would bill. */
  requests(): Record<string, number>;
  close(): Promise<void>;
}

/** An S3-compatible server (s3rver) inside this process, for hosts without MinIO. */
export async function startS3Server(options: S3ServerOptions): Promise<RunningS3Server> {
  const address = options.address ?? "127.0.0.1";
  const server = new S3rver({ directory: options.directory, port: options.port ?? 0, address, silent: true });
  const listening = await server.run();
  const requests: Record<string, number> = {};
  (server as unknown as { httpServer: Server }).httpServer.on("request", ({ method = "?" }: { method?: string }) => {
    requests[method] = (requests[method] ?? 0) + 1;
  });
  return {
    endpoint: `http://${endpointHost(address)}:${listening.port}`,
    accessKeyId: S3RVER_ACCESS_KEY_ID,
    secretAccessKey: S3RVER_SECRET_ACCESS_KEY,
    requests: () => ({ ...requests }),
    close: () => server.close(),
  };
}

/** The host a client should dial for a listening address (wildcards mean "this machine"). */
function endpointHost(address: string): string {
  if (address === "0.0.0.0" || address === "::") return "127.0.0.1";
  return address.includes(":") ? `[${address}]` : address;
}
