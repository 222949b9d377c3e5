import pg from "pg";

/** The same lines as expected-schema.ts, read back from a live database's catalogs. */
export async function actualSchemaLines(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const lines: string[] = [];
    const enums = await client.query<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`);
    for (const row of enums.rows) lines.push(`enum ${row.name} (${row.values.join(", ")})`);

    const columns = await client.query<{
      table: string;
      column: string;
      type: string;
      nullable: boolean;
      has_default: boolean;
    }>(`
      SELECT c.relname AS table, a.attname AS column,
             format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, a.atthasdef AS has_default
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> '_prisma_migrations'`);
    for (const row of columns.rows) {
      const type = row.type
        .replace(/^timestamp\((\d)\) with time zone/, "timestamptz($1)")
        .replace(/^timestamp\((\d)\) without time zone/, "timestamp($1)")
        .replace(/^"(.+)"/, "$1");
      lines.push(
        `column ${row.table}.${row.column} ${type} ${row.nullable ? "null" : "not null"}${row.has_default ? " default" : ""}`,
      );
    }

    const indexes = await client.query<{ table: string; primary: boolean; unique: boolean; columns: string[] }>(`
      SELECT t.relname AS table, ix.indisprimary AS primary, ix.indisunique AS unique,
             array_agg(a.attname ORDER BY k.ord)::text[] AS columns
      FROM pg_index ix
      JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, ix.indexrelid, ix.indisprimary, ix.indisunique`);
    for (const row of indexes.rows) {
      const kind = row.primary ? "primary key" : row.unique ? "unique" : "index";
      lines.push(`${kind} ${row.table}(${row.columns.join(", ")})`);
    }

    const foreignKeys = await client.query<{
      table: string;
      columns: string[];
      target: string;
      target_columns: string[];
      on_delete: string;
    }>(`
      SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target,
             ARRAY(SELECT attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n ORDER BY o)::text[] AS columns,
             ARRAY(SELECT attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n ORDER BY o)::text[] AS target_columns,
             CASE c.confdeltype WHEN 'a' THEN 'no action' WHEN 'r' THEN 'restrict' WHEN 'c' THEN 'cascade'
                                WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' END AS on_delete
      FROM pg_constraint c WHERE c.contype = 'f'`);
    for (const row of foreignKeys.rows) {
      lines.push(
        `fk ${row.table}(${row.columns.join(", ")}) -> ${row.target}(${row.target_columns.join(", ")}) on delete ${row.on_delete}`,
      );
    }
    return lines.sort();
  } finally {
    await client.end();
  }
}
