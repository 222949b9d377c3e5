import { Command } from "commander";
import { registerMigrateCommand } from "./commands/migrate.js";

const program = new Command("leukoflow").description("LeukoFlow: screening white-blood-cell images for ALL");

registerMigrateCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
