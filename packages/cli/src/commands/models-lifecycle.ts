import type { Command } from "commander";
import { activateModelVersion, listChanges, modelRef, type ChangeRecord } from "@leukoflow/model-registry";
import { changeAuthor } from "../change-author.js";
import { withPrisma } from "../database.js";
import { parseSince } from "../since-option.js";
import { formatTable } from "../table.js";

function formatChanges(changes: ChangeRecord[]): string {
  const rows = changes.map((c) => [c.at.toISOString(), c.action, c.model ?? "", c.actor, c.reason, Object.keys(c.details).length ? JSON.stringify(c.details) : ""]);
  return formatTable(["time", "action", "model", "actor", "reason", "details"], rows);
}

/** `models activate` and `models history`: promoting a version, and the record of every change. */
export function registerModelLifecycleCommands(models: Command): void {
  models
    .command("activate <model>")
    .description("serve this registered version (name@version) from now on, for every lab; recorded with who and why")
    .requiredOption("--reason <why>", "why, for the record (models history)")
    .option("--by <who>", "who, for the record (default: the login name)")
    .action(async (ref: string, flags: { reason: string; by?: string }) => {
      const version = await withPrisma((prisma) => activateModelVersion(prisma, ref, changeAuthor(flags.reason, flags.by)));
      console.log(`${modelRef(version)} active`);
    });
  models
    .command("history")
    .description("every recorded change: activations, operating-point changes, shadow starts and stops, dataset exports")
    .option("--since <when>", "only changes since a span back (7d, 12h) or a date")
    .option("--model <name@version>", "only changes of this version")
    .option("--json", "one JSON array instead of a table", false)
    .action(async (flags: { since?: string; model?: string; json: boolean }) => {
      const since = flags.since === undefined ? undefined : parseSince(flags.since);
      const changes = await withPrisma((prisma) => listChanges(prisma, { since, model: flags.model }));
      console.log(flags.json ? JSON.stringify(changes, null, 2) : formatChanges(changes));
    });
}
