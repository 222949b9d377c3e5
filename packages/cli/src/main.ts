import { Command } from "commander";
import { registerDatasetsCommand } from "./commands/datasets.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerEvaluateCommand } from "./commands/evaluate.js";
import { registerImportKerasCommand } from "./commands/import-keras.js";
import { registerIngestCommand } from "./commands/ingest.js";
import { registerLabsCommand } from "./commands/labs.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerModelsCommand } from "./commands/models.js";
import { registerStackCommand } from "./commands/stack.js";
import { registerSyntheticImagesCommand } from "./commands/synthetic-images.js";
import { registerTrainCommand } from "./commands/train.js";

const program = new Command("leukoflow").description("LeukoFlow: screening white-blood-cell images for ALL");

registerStackCommand(program);
registerMigrateCommand(program);
registerModelsCommand(program);
registerLabsCommand(program);
registerIngestCommand(program);
registerDemoCommand(program);
registerTrainCommand(program);
registerDatasetsCommand(program);
registerEvaluateCommand(program);
registerImportKerasCommand(program);
registerSyntheticImagesCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
