import type { Command } from "commander";
import { applyMigrations, parseEnv } from "@leukoflow/shared";
import { z } from "zod";
import { MIGRATIONS_DIR } from "../paths.js";
import { commandEnv } from "../runtime-env.js";

const MigrateEnv = z.object({ DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }) });

export function registerMigrateCommand(program: Command): void {
  program
    .command("migrate")
    .description("apply pending database migrations (no Prisma engine download needed)")
    .action(async () => {
      const env = parseEnv(MigrateEnv, commandEnv());
      const result = await applyMigrations(env.DATABASE_URL, MIGRATIONS_DIR);
      for (const name of result.applied) console.log(`applied  ${name}`);
      console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already up to date`);
    });
}
