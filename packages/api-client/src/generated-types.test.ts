import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = path.resolve(import.meta.dirname, "..");
const GENERATED = path.join(packageDir, "src", "generated", "ingest-api.ts");

describe("the generated API types", () => {
  it("are what openapi-typescript makes of the committed openapi.json", () => {
    const fresh = path.join(mkdtempSync(path.join(tmpdir(), "lf-openapi-")), "ingest-api.ts");
    execFileSync(
      process.execPath,
      [
        path.join(packageDir, "..", "..", "node_modules", "openapi-typescript", "bin", "cli.js"),
        path.join(packageDir, "openapi.json"),
        "-o",
        fresh,
      ],
      { stdio: "pipe" },
    );
    const current = readFileSync(fresh, "utf8") === readFileSync(GENERATED, "utf8");
    expect(current, `${GENERATED} is stale: run \`npm run openapi\``).toBe(true);
  });
});
