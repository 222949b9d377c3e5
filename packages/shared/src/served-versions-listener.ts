import pg from "pg";
import type { Logger } from "./logger.js";

/** What the model_version trigger notifies (migration 20261203003000_served_versions_notify) when a transaction changes which versions are served. */
export const SERVED_VERSIONS_CHANNEL = "leukoflow_served_versions";

export interface ServedVersionsListener {
  close(): Promise<void>;
}

/**
 * Calls `onChange` when the registry's active or shadow versions may have changed: on each
 * notification, and after every (re)connection, since what was notified while the connection was
 * away is lost. Holds one Postgres connection of its own (a LISTEN cannot share a pool) and
 * reconnects `retryMs` after losing it.
 */
export function listenForServedVersionChanges(
  databaseUrl: string,
  onChange: () => void,
  logger: Logger,
  { retryMs = 1_000 } = {},
): ServedVersionsListener {
  let closed = false;
  let current: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;

  const retryLater = () => {
    if (!closed) retry = setTimeout(() => void connect(), retryMs);
  };
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    current = client;
    client.on("notification", onChange);
    client.on("error", (err) => logger.warn({ err }, "served-versions listener lost its connection"));
    try {
      await client.connect();
      await client.query(`LISTEN ${SERVED_VERSIONS_CHANNEL}`);
    } catch (err) {
      logger.warn({ err, retryMs }, "served-versions listener could not listen; retrying");
      await client.end().catch(() => undefined);
      return retryLater();
    }
    client.once("end", retryLater);
    onChange();
  };
  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      await current?.end().catch(() => undefined);
    },
  };
}
