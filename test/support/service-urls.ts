/** Where the test run's real services live; resolved once per run by test/global-setup.ts. */
export interface ServiceUrls {
  /** Server URL without a database name; each test file creates its own database. */
  postgresServerUrl: string;
  redisUrl: string;
  s3: { endpoint: string; accessKeyId: string; secretAccessKey: string; region: string };
  /** Database migrated once per run, cloned for each test file. */
  templateDatabase: string;
  source: "environment" | "testcontainers" | "local";
}

declare module "vitest" {
  export interface ProvidedContext {
    services: ServiceUrls;
  }
}
