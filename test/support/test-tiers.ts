import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Where vitest looks for test files, relative to the repository root. */
export const TEST_FILES = ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts"];
const TEST_FILE = /^(packages\/[^/]+\/src|apps\/[^/]+\/src|test)\/(.+\/)?[^/]+\.test\.ts$/;

/**
 * A test file that uses Postgres, Redis or S3: it asks for isolated services, runs an app's
 * harness or the in-process pipeline, or starts its own Redis. Every other one is a unit test and
 * passes with none of them reachable (`npm run test:unit`).
 */
const USES_SERVICES =
  /useIsolatedServices|useIngestServer|inject\("services"\)|ingest-harness|support\/pipeline|RedisServer/;

export function testFilesByTier(root: string): { unit: string[]; integration: string[] } {
  const files = ["packages", "apps", "test"]
    .flatMap((dir) =>
      readdirSync(path.join(root, dir), { recursive: true, encoding: "utf8" }).map((file) => `${dir}/${file}`),
    )
    .filter((file) => TEST_FILE.test(file) && !file.includes("/node_modules/"))
    .sort();
  const integration = files.filter((file) => USES_SERVICES.test(readFileSync(path.join(root, file), "utf8")));
  return { unit: files.filter((file) => !integration.includes(file)), integration };
}
