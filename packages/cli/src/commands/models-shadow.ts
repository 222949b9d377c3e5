import type { Command } from "commander";
import type { ShadowComparison } from "@leukoflow/contracts";
import { DEFAULT_SHADOW_SAMPLE, findModelVersion, modelRef, startShadow, stopShadow } from "@leukoflow/model-registry";
import { compareShadow, SUBTYPE_TASK, type Database } from "@leukoflow/shared";
import { changeAuthor } from "../change-author.js";
import { withDatabase } from "../database.js";
import { parseSince } from "../since-option.js";
import { formatTable } from "../table.js";

const pct = (share: number | null): string => (share === null ? "—" : `${(share * 100).toFixed(1)} %`);
const p3 = (value: number): string => value.toFixed(3);

/** What `models shadow` with neither a version nor --stop prints: the version in shadow, if any. */
async function shadowStatus(db: Database): Promise<string> {
  const version = await db.modelVersions.findShadow(SUBTYPE_TASK);
  if (!version) return "no version is in shadow";
  const scored = await db.shadowPredictions.count(version.id, version.shadowStartedAt);
  return `${modelRef(version)} in shadow since ${version.shadowStartedAt?.toISOString()}: ${pct(version.shadowSample)} of specimens, ${scored} images scored`;
}

/** `models compare` as a person reads it. */
export function formatComparison(c: ShadowComparison): string {
  const lines = [
    `${c.candidate} against the active ${c.active}${c.since ? ` since ${c.since}` : ""}: ${c.images} images scored by both`,
  ];
  if (c.images === 0) return lines.join("\n");
  const agreeing = c.malignantCalls.bothMalignant + c.malignantCalls.bothBenign;
  const sameLabel = c.confusion.reduce((sum, row, i) => sum + row[i]!, 0);
  lines.push(
    `agreement: label ${pct(c.agreement.label)} (${sameLabel}/${c.images}), malignant call ${pct(c.agreement.malignantCall)} (${agreeing}/${c.images})`,
    `operating points: active image ${p3(c.thresholds.active.image)} specimen ${p3(c.thresholds.active.specimen)}; candidate image ${p3(c.thresholds.candidate.image)} specimen ${p3(c.thresholds.candidate.specimen)}`,
    `malignant calls: both ${c.malignantCalls.bothMalignant}, neither ${c.malignantCalls.bothBenign}, active only ${c.malignantCalls.activeOnly}, candidate only ${c.malignantCalls.candidateOnly}`,
    "",
    `confusion (rows: the active version's label, columns: the candidate's)`,
    formatTable(
      ["active \\ candidate", ...c.classes],
      c.classes.map((label, i) => [label, ...c.confusion[i]!]),
    ),
    "",
    `specimens: ${c.specimens.compared} compared (every image scored by both), ${c.specimens.callChanged} would change call, ${c.specimens.partlyScored} partly scored (not compared)`,
  );
  if (c.specimens.changes.length > 0)
    lines.push(
      formatTable(
        ["specimen", "lab", "active call (mean P)", "candidate call (mean P)"],
        c.specimens.changes.map((s) => [
          s.accession,
          s.lab,
          `${s.active.call} (${p3(s.active.meanMalignantProbability)})`,
          `${s.candidate.call} (${p3(s.candidate.meanMalignantProbability)})`,
        ]),
      ),
    );
  const r = c.reviewedDisagreements;
  lines.push(
    "",
    `disagreements: ${c.disagreements.length} images (${r.images} reviewed: the review sided with the active version ${r.activeRight}, the candidate ${r.candidateRight}, neither ${r.neither}); the workstation's review queue lists each lab's unreviewed ones`,
  );
  if (c.disagreements.length > 0)
    lines.push(
      formatTable(
        ["image", "specimen", "lab", "file", "active", "P(mal)", "candidate", "P(mal)", "reviewed"],
        c.disagreements.map((d) => [
          d.imageId,
          d.accession,
          d.lab,
          d.originalName ?? "",
          d.active.label,
          p3(d.active.malignantProbability),
          `${d.candidate.label}${d.malignantCallChanges ? " ▲" : ""}`,
          p3(d.candidate.malignantProbability),
          d.reviewedLabel ?? "",
        ]),
      ),
    );
  return lines.join("\n");
}

/** `models shadow` and `models compare`: a candidate scores live images beside the active version, then is compared with it. */
export function registerShadowCommands(models: Command): void {
  models
    .command("shadow [model]")
    .description(
      "score live images with this registered version (name@version) beside the active one, on the shadow queue and its own workers (INFERENCE_ROLE=shadow), as shadow predictions no report, export, webhook or specimen call uses; --stop ends it; with neither, say which version is in shadow",
    )
    .option("--sample <share>", "share of specimens whose images it scores, in (0, 1]", String(DEFAULT_SHADOW_SAMPLE))
    .option("--stop", "end the shadow (of this version, or of whichever is in shadow)", false)
    .option("--reason <why>", "why, for the record (models history); required to start or stop")
    .option("--by <who>", "who, for the record (default: the login name)")
    .action(async (ref: string | undefined, flags: { sample: string; stop: boolean; reason?: string; by?: string }) => {
      if (!flags.stop && ref === undefined) {
        console.log(await withDatabase(shadowStatus));
        return;
      }
      if (flags.reason === undefined) throw new Error("--reason <why> is required to start or stop a shadow");
      const author = changeAuthor(flags.reason, flags.by);
      if (flags.stop) {
        const stopped = await withDatabase((db) => stopShadow(db, author, ref));
        console.log(`${modelRef(stopped)} no longer in shadow`);
        return;
      }
      const { version, replaced } = await withDatabase((db) => startShadow(db, ref!, Number(flags.sample), author));
      console.log(
        `${modelRef(version)} in shadow: ${pct(version.shadowSample)} of specimens${replaced ? `, replacing ${modelRef(replaced)}` : ""}`,
      );
    });
  models
    .command("compare <candidate>")
    .description(
      "compare a version scored in shadow (name@version) with the active one over the images both scored: agreement (label and malignant call, each at its own operating point), the confusion between them, specimens whose call would change, and the images where they disagree",
    )
    .option("--since <when>", "only shadow scores since a span back (7d, 12h) or a date")
    .option("--lab <slug>", "only this lab's images")
    .option("--json", "the comparison as one JSON object", false)
    .action(async (ref: string, flags: { since?: string; lab?: string; json: boolean }) => {
      const since = flags.since === undefined ? undefined : parseSince(flags.since);
      const comparison = await withDatabase(async (db) => {
        const candidate = await findModelVersion(db, ref);
        const active = await db.modelVersions.activeModel(candidate.task);
        if (active.id === candidate.id)
          throw new Error(`${ref} is the active version: compare a version in shadow before activating it`);
        let labId: string | undefined;
        if (flags.lab !== undefined) {
          const lab = await db.labs.findBySlug(flags.lab);
          if (!lab) throw new Error(`--lab ${flags.lab}: no such lab`);
          labId = lab.id;
        }
        return compareShadow(db, { active, candidate }, { since, labId });
      });
      console.log(flags.json ? JSON.stringify(comparison, null, 2) : formatComparison(comparison));
    });
}
