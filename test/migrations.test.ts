import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyMigrations, MigrationError, readMigrations } from "@leukoflow/shared";
import { actualSchemaLines } from "./support/actual-schema.js";
import { expectedSchemaLines, loadDmmf } from "./support/expected-schema.js";
import { useIsolatedServices } from "./support/isolated-services.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

describe("database migrations", () => {
  const services = useIsolatedServices();

  it("leave the database exactly as schema.prisma describes it", async () => {
    const dmmf = loadDmmf(await readFile(path.join(REPO_ROOT, "prisma", "schema.prisma"), "utf8"));
    const expected = expectedSchemaLines(dmmf);
    const actual = await actualSchemaLines(services.env.DATABASE_URL!);
    expect(actual).toEqual(expected);
  });

  it("record each migration in _prisma_migrations with Prisma's checksum and re-run as a no-op", async () => {
    const migrations = await readMigrations(MIGRATIONS_DIR);
    const rows = await services.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date }[]>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => [row.migration_name, row.checksum])).toEqual(migrations.map((m) => [m.name, m.checksum]));
    expect(rows.every((row) => row.finished_at instanceof Date)).toBe(true);

    const again = await applyMigrations(services.env.DATABASE_URL!, MIGRATIONS_DIR);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(migrations.map((m) => m.name));
  });

  it("refuse to continue when an applied migration was edited", async () => {
    const client = new pg.Client({ connectionString: services.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)`);
      await expect(applyMigrations(services.env.DATABASE_URL!, MIGRATIONS_DIR)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await client.end();
    }
  });
});
