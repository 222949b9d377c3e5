import { defineConfig } from "vitest/config";
import { testFilesByTier } from "./test/support/test-tiers.js";

const tiers = testFilesByTier(import.meta.dirname);

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's own default (1 s) is too tight for round trips to real services on a loaded 2-core runner.
    expect: { poll: { timeout: 15_000 } },
    pool: "forks",
    maxWorkers: 2,
    // unit: no service reachable (`npm run test:unit`); integration: real Postgres, Redis and S3, resolved once by the global setup.
    projects: [
      { extends: true, test: { name: "unit", include: tiers.unit } },
      {
        extends: true,
        test: { name: "integration", include: tiers.integration, globalSetup: ["test/global-setup.ts"] },
      },
    ],
  },
});
