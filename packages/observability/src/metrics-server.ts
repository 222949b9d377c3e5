import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@leukoflow/shared";
import type { Registry } from "prom-client";
import { checkReadiness, type Probe } from "./readiness.js";

export interface MetricsServerOptions {
  host: string;
  port: number;
  registry: Registry;
  /** What /health/ready checks; the process is live as long as it answers at all. */
  probes: Record<string, Probe>;
  logger: Logger;
}

export interface RunningMetricsServer {
  url: string;
  close(): Promise<void>;
}

/** /metrics, /health/live and /health/ready for a process that has no HTTP server of its own. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<RunningMetricsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "GET") return send(response, 405, "application/json", { error: "method not allowed" });
    if (path === "/metrics") {
      return void options.registry.metrics().then(
        (text) => send(response, 200, options.registry.contentType, text),
        (error: unknown) => {
          options.logger.error({ err: error }, "collecting metrics failed");
          send(response, 500, "application/json", { error: "collecting metrics failed" });
        },
      );
    }
    if (path === "/health/live") return send(response, 200, "application/json", { status: "ok" });
    if (path === "/health/ready") {
      return void checkReadiness(options.probes).then(({ ready, checks }) =>
        send(response, ready ? 200 : 503, "application/json", { status: ready ? "ready" : "not-ready", ...checks }),
      );
    }
    send(response, 404, "application/json", { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host === "0.0.0.0" ? "127.0.0.1" : options.host}:${port}`;
  options.logger.info({ url }, "metrics and health listening");
  return {
    url,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: unknown): void {
  response.writeHead(status, { "content-type": contentType });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}
