import path from "node:path";
import type { Command } from "commander";
import { objectStoreFromEnv } from "@leukoflow/shared";
import { changeAuthor } from "../change-author.js";
import { withDatabase } from "../database.js";
import { exportDataset } from "../datasets/export-dataset.js";
import { loadCommonEnv } from "../runtime-env.js";
import { parseSince } from "../since-option.js";

interface ExportFlags {
  lab?: string;
  since?: string;
  reviewedOnly: boolean;
  reason: string;
  by?: string;
}

export function registerDatasetsCommand(program: Command): void {
  const datasets = program.command("datasets").description("training data from what the labs' technologists reviewed");
  datasets
    .command("export <dir>")
    .description(
      "write the original images of classified images into <dir>/<label>/ with manifest.csv (specimen, model, model label, reviewed label, reviewer, reason, time); `leukoflow train` and `train --extra` read it as is",
    )
    .option("--lab <slug>", "only this lab's images")
    .option("--since <when>", "only images labelled since a span back (7d, 12h) or a date")
    .option(
      "--reviewed-only",
      "only images a technologist confirmed or corrected (otherwise the model's label stands for unreviewed ones)",
      false,
    )
    .option("--reason <why>", "why, for the record (models history)", "datasets export")
    .option("--by <who>", "who, for the record (default: the login name)")
    .action(async (dir: string, flags: ExportFlags) => {
      const objectStore = objectStoreFromEnv(loadCommonEnv());
      try {
        const filter = {
          lab: flags.lab,
          since: flags.since === undefined ? undefined : parseSince(flags.since),
          reviewedOnly: flags.reviewedOnly,
        };
        const exported = await withDatabase((db) =>
          exportDataset({ db, objectStore }, path.resolve(dir), filter, changeAuthor(flags.reason, flags.by)),
        );
        const counts = Object.entries(exported.perLabel)
          .map(([label, n]) => `${label}=${n}`)
          .join(" ");
        console.log(`${exported.images} images to ${exported.dir} (${counts}); export ${exported.id}`);
      } finally {
        objectStore.destroy();
      }
    });
}
