import { randomBytes } from "node:crypto";
import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { applyMigrations, MigrationError, readMigrations } from "@leukoflow/shared";
import { actualSchemaLines } from "./support/actual-schema.js";
import { adminQuery } from "./support/admin-query.js";
import { expectedSchemaLines, loadDmmf } from "./support/expected-schema.js";
import { useIsolatedServices } from "./support/isolated-services.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");
const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");

/**
 * Runs `body` on a fresh database migrated up to, not including, the migration named `…<suffix>`
 * (so a test can write rows as they were before it, then apply the rest); drops the database after.
 */
async function withDatabaseBefore(
  suffix: string,
  body: (client: pg.Client, url: string) => Promise<void>,
): Promise<void> {
  const migrations = await readMigrations(MIGRATIONS_DIR);
  const recording = migrations.findIndex((m) => m.name.endsWith(suffix));
  const earlierDir = await mkdtemp(path.join(tmpdir(), "lf-migrations-"));
  for (const { name } of migrations.slice(0, recording))
    await cp(path.join(MIGRATIONS_DIR, name), path.join(earlierDir, name), { recursive: true });
  const { postgresServerUrl } = inject("services");
  const database = `leukoflow_m_${randomBytes(5).toString("hex")}`;
  await adminQuery(postgresServerUrl, `CREATE DATABASE "${database}"`);
  const url = new URL(database, postgresServerUrl).toString();
  const client = new pg.Client({ connectionString: url });
  try {
    await applyMigrations(url, earlierDir);
    await client.connect();
    await body(client, url);
  } finally {
    await client.end();
    await adminQuery(postgresServerUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  }
}

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
    const rows = await services.prisma.$queryRawUnsafe<
      { migration_name: string; checksum: string; finished_at: Date }[]
    >(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`);
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

  it("carry the model input of images preprocessed before it was recorded over from their keys", async () => {
    await withDatabaseBefore("_image_model_input", async (client, url) => {
      await client.query(`INSERT INTO lab (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', 'm', 'm')`);
      await client.query(
        `INSERT INTO specimen (id, lab_id, accession, updated_at) VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'M-1', now())`,
      );
      const keys = ["v2-64", "v2-112-letterbox", "v2-80-reinhard", "v2-224-letterbox-reinhard"].map(
        (recipe) => `labs/l/preprocessed/${recipe}/${"a".repeat(64)}.png`,
      );
      for (const [i, key] of [...keys, null].entries()) {
        await client.query(
          `INSERT INTO image (id, lab_id, specimen_id, sha256, object_key, byte_size, preprocessed_key, updated_at)
           VALUES ($1, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', $2, 'k', 1, $3, now())`,
          [`00000000-0000-4000-8000-00000000010${i}`, String(i).repeat(64), key],
        );
      }
      await applyMigrations(url, MIGRATIONS_DIR);
      const { rows } = await client.query(`SELECT input_size, stain_normalization, round FROM image ORDER BY id`);
      expect(rows).toEqual([
        { input_size: 64, stain_normalization: "none", round: 0 },
        { input_size: 112, stain_normalization: "none", round: 0 },
        { input_size: 80, stain_normalization: "reinhard", round: 0 },
        { input_size: 224, stain_normalization: "reinhard", round: 0 },
        { input_size: null, stain_normalization: null, round: 0 },
      ]);
    });
  });

  it("give model versions registered before malignant classes were recorded the ALL subtypes they were read with", async () => {
    await withDatabaseBefore("_model_malignant_classes", async (client, url) => {
      const labelSets = [
        ["benign", "early_pre_b", "pre_b", "pro_b"],
        ["pro_b", "benign", "pre_b"],
        ["benign", "malignant"],
      ];
      for (const [i, classes] of labelSets.entries()) {
        await client.query(
          `INSERT INTO model_version (id, name, version, architecture, task, classes, input_size, artifact_uri, artifact_sha256)
           VALUES ($1, 'm', $2, 'cnn', 't', $3, 64, 's3://m/', repeat('0', 64))`,
          [`00000000-0000-4000-8000-00000000020${i}`, String(i), classes],
        );
      }
      await applyMigrations(url, MIGRATIONS_DIR);
      const { rows } = await client.query(`SELECT malignant_classes FROM model_version ORDER BY id`);
      expect(rows.map((row: { malignant_classes: string[] }) => row.malignant_classes)).toEqual([
        ["early_pre_b", "pre_b", "pro_b"],
        ["pro_b", "pre_b"],
        [],
      ]);
    });
  });
});
