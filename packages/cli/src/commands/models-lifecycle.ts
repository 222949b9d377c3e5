import path from "node:path";
import type { Command } from "commander";
import { scoreDriftBaseline, type TtaMode } from "@leukoflow/ml";
import {
  activateModelVersion,
  listChanges,
  modelRef,
  recordDriftBaseline,
  type ChangeRecord,
} from "@leukoflow/model-registry";
import { changeAuthor } from "../change-author.js";
import { withDatabase } from "../database.js";
import { parseSince } from "../since-option.js";
import { formatTable } from "../table.js";

function formatChanges(changes: ChangeRecord[]): string {
  const rows = changes.map((c) => [
    c.at.toISOString(),
    c.action,
    c.model ?? "",
    c.actor,
    c.reason,
    Object.keys(c.details).length ? JSON.stringify(c.details) : "",
  ]);
  return formatTable(["time", "action", "model", "actor", "reason", "details"], rows);
}

/** `models activate`, `models history` and `models baseline` (`models shadow` and `compare`: models-shadow.ts): promoting a version, the record of every change, what drift is measured against. */
export function registerModelLifecycleCommands(models: Command): void {
  models
    .command("activate <model>")
    .description(
      "serve this registered version (name@version) from now on, for every lab; recorded with who and why; a version in shadow is promoted (its shadow ends)",
    )
    .requiredOption("--reason <why>", "why, for the record (models history)")
    .option("--by <who>", "who, for the record (default: the login name)")
    .option(
      "--skip-shadow",
      "activate a fine-tuned version (train --init-from) that has not scored live images in shadow; recorded",
      false,
    )
    .action(async (ref: string, flags: { reason: string; by?: string; skipShadow: boolean }) => {
      const version = await withDatabase((db) =>
        activateModelVersion(db, ref, changeAuthor(flags.reason, flags.by), { skipShadow: flags.skipShadow }),
      );
      console.log(`${modelRef(version)} active`);
    });
  models
    .command("baseline <dir>")
    .description(
      "score the model's monitor blocks of --data as the worker does and store the result with its registered version: the baseline its drift gauges and alarms compare each lab's predictions with",
    )
    .requiredOption("--data <dir>", "the folder of class subfolders the model was trained on")
    .option("--tta <mode>", "test-time augmentation, as the worker's INFERENCE_TTA", "flips")
    .action(async (dir: string, flags: { data: string; tta: TtaMode }) => {
      const baseline = await scoreDriftBaseline({
        modelDir: path.resolve(dir),
        dataDir: path.resolve(flags.data),
        tta: flags.tta,
      });
      const version = await withDatabase((db) => recordDriftBaseline(db, path.resolve(dir), baseline));
      console.log(
        `${modelRef(version)}: ${baseline.images} monitor images, OOD rate ${(baseline.oodRate * 100).toFixed(1)} %, mean confidence ${baseline.meanConfidence.toFixed(3)}`,
      );
    });
  models
    .command("history")
    .description(
      "every recorded change: activations, operating-point changes, shadow starts and stops, dataset exports",
    )
    .option("--since <when>", "only changes since a span back (7d, 12h) or a date")
    .option("--model <name@version>", "only changes of this version")
    .option("--json", "one JSON array instead of a table", false)
    .action(async (flags: { since?: string; model?: string; json: boolean }) => {
      const since = flags.since === undefined ? undefined : parseSince(flags.since);
      const changes = await withDatabase((db) => listChanges(db, { since, model: flags.model }));
      console.log(flags.json ? JSON.stringify(changes, null, 2) : formatChanges(changes));
    });
}
