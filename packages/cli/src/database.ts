import { createDatabase, type Database } from "@leukoflow/shared";
import { loadCommonEnv } from "./runtime-env.js";

/** Runs `work` with a small pool on the command's DATABASE_URL, disconnecting afterwards. */
export async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const db = createDatabase(loadCommonEnv().DATABASE_URL, 2);
  try {
    return await work(db);
  } finally {
    await db.disconnect();
  }
}
