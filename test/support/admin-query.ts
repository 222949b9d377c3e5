import pg from "pg";

/** Runs one statement on the server's `postgres` database, e.g. CREATE or DROP DATABASE. */
export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: new URL("postgres", serverUrl).toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
