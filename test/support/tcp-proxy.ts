import { createServer, connect, type Server, type Socket } from "node:net";

/** Sees, in order, every byte one client connection sends to the service. */
export type ClientWatcher = (chunk: Buffer) => void;

/**
 * A TCP proxy in front of a service, so a test can take the service away from the apps (every
 * connection, open or new, is dropped) and give it back, without touching the shared service.
 * `watchClient`, when given, makes a watcher for each new connection (to count what clients ask for).
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private cut = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly watchClient?: () => ClientWatcher,
  ) {}

  /** Listens on a free local port and returns it. */
  async start(): Promise<number> {
    const server = createServer((client) => {
      if (this.cut) return void client.destroy();
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      const watcher = this.watchClient?.();
      if (watcher) client.on("data", watcher);
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as { port: number }).port;
  }

  /** The service is unreachable from now on: open connections are reset, new ones closed at once. */
  disconnect(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  reconnect(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.disconnect();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A TcpProxy in front of the service `url` names (Postgres, Redis), and the same URL through the proxy. */
export async function proxyInFront(
  url: string,
  defaultPort: number,
  watchClient?: () => ClientWatcher,
): Promise<{ proxy: TcpProxy; url: string }> {
  const through = new URL(url);
  const proxy = new TcpProxy(through.hostname, Number(through.port || defaultPort), watchClient);
  through.hostname = "127.0.0.1";
  through.port = String(await proxy.start());
  return { proxy, url: through.toString() };
}
