import {
  isMalignantClass,
  malignantThresholds,
  type MalignancyRule,
  type ShadowComparison,
  type ShadowDisagreement,
  type ShadowSpecimenChange,
} from "@leukoflow/contracts";
import type { ModelVersion } from "./database.js";
import type { Database } from "./repositories/database.js";
import type { ShadowPair, SpecimenCoverage } from "./repositories/shadow-prediction-repository.js";
import { summarizeSpecimen, type ClassifiedImage } from "./specimen-summary.js";

/**
 * `models compare` and the review queue's disagreements: a version in shadow (the candidate) against
 * the active version, over the images both scored. The data access is the ShadowPredictionRepository
 * (pairs, specimenCoverage); the figures are shadowComparisonFigures, a pure function of what it reads.
 * Each version's calls are its own: its malignant classes at its operating point.
 */

type Version = Pick<ModelVersion, "name" | "version" | "operatingPoint" | "malignantClasses">;

const rule = (version: Version): MalignancyRule => ({
  malignantClasses: version.malignantClasses,
  thresholds: malignantThresholds(version.operatingPoint),
});

/** Whether both versions scored every classified image of a completed specimen: only then can both call it. */
export const fullyScored = (coverage: SpecimenCoverage): boolean =>
  coverage.completed && coverage.classified > 0 && coverage.paired === coverage.classified;

/** Whether one version calls the image malignant and the other does not, each by its own malignant classes. */
export function malignantCallChanges(
  pair: Pick<ShadowPair, "active" | "candidate">,
  versions: { active: Pick<Version, "malignantClasses">; candidate: Pick<Version, "malignantClasses"> },
): boolean {
  return (
    isMalignantClass(pair.active.label, versions.active.malignantClasses) !==
    isMalignantClass(pair.candidate.label, versions.candidate.malignantClasses)
  );
}

/** Disagreements in the order a person should look at them: malignant-call changes first, then the active version's least confident. */
export function byReviewPriority(versions: Parameters<typeof malignantCallChanges>[1]) {
  return (a: ShadowPair, b: ShadowPair): number =>
    Number(malignantCallChanges(b, versions)) - Number(malignantCallChanges(a, versions)) ||
    a.active.confidence - b.active.confidence;
}

const ref = (version: Pick<ModelVersion, "name" | "version">): string => `${version.name}@${version.version}`;
const share = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export interface ShadowComparisonInput {
  active: Version & Pick<ModelVersion, "classes">;
  candidate: Version;
  since: Date | null;
  /** The pairs compared image by image. */
  pairs: readonly ShadowPair[];
  /** Coverage of every specimen with a pair. */
  specimens: readonly SpecimenCoverage[];
  /** Every pair of the fully scored specimens (also those before `since`). */
  specimenPairs: readonly ShadowPair[];
}

/** The figures of `models compare`, from the rows read: agreement, confusion, malignant calls, specimen calls, disagreements. */
export function shadowComparisonFigures(input: ShadowComparisonInput): ShadowComparison {
  const { pairs } = input;
  const rules = { active: rule(input.active), candidate: rule(input.candidate) };
  const thresholds = { active: rules.active.thresholds, candidate: rules.candidate.thresholds };
  const classes = [...input.active.classes];
  for (const pair of pairs)
    for (const label of [pair.active.label, pair.candidate.label]) if (!classes.includes(label)) classes.push(label);
  const confusion = classes.map(() => classes.map(() => 0));
  const malignantCalls = { bothMalignant: 0, bothBenign: 0, activeOnly: 0, candidateOnly: 0 };
  let labelAgree = 0;
  for (const pair of pairs) {
    confusion[classes.indexOf(pair.active.label)]![classes.indexOf(pair.candidate.label)]! += 1;
    if (pair.active.label === pair.candidate.label) labelAgree += 1;
    const a = isMalignantClass(pair.active.label, rules.active.malignantClasses);
    const c = isMalignantClass(pair.candidate.label, rules.candidate.malignantClasses);
    if (a && c) malignantCalls.bothMalignant += 1;
    else if (!a && !c) malignantCalls.bothBenign += 1;
    else if (a) malignantCalls.activeOnly += 1;
    else malignantCalls.candidateOnly += 1;
  }

  const byImage =
    (side: "active" | "candidate") =>
    (pair: ShadowPair): ClassifiedImage =>
      pair[side];
  const changes: ShadowSpecimenChange[] = [];
  const compared = input.specimens.filter(fullyScored);
  for (const coverage of compared) {
    const images = input.specimenPairs.filter((pair) => pair.specimenId === coverage.specimenId);
    const active = summarizeSpecimen(images.map(byImage("active")), coverage.failed, rules.active);
    const candidate = summarizeSpecimen(images.map(byImage("candidate")), coverage.failed, rules.candidate);
    if (active.call === candidate.call) continue;
    const { accession, lab } = images[0]!;
    changes.push({
      specimenId: coverage.specimenId,
      accession,
      lab,
      active: { call: active.call, meanMalignantProbability: active.meanMalignantProbability },
      candidate: { call: candidate.call, meanMalignantProbability: candidate.meanMalignantProbability },
    });
  }

  const disagreeing = pairs.filter((pair) => pair.active.label !== pair.candidate.label).sort(byReviewPriority(input));
  const reviewed = disagreeing.filter((pair) => pair.reviewedLabel !== null);
  const activeRight = reviewed.filter((pair) => pair.reviewedLabel === pair.active.label).length;
  const candidateRight = reviewed.filter((pair) => pair.reviewedLabel === pair.candidate.label).length;
  const score = ({ label, confidence, malignantProbability }: ShadowPair["candidate"]) => ({
    label,
    confidence,
    malignantProbability,
  });
  return {
    candidate: ref(input.candidate),
    active: ref(input.active),
    since: input.since?.toISOString() ?? null,
    thresholds,
    images: pairs.length,
    agreement: {
      label: share(labelAgree, pairs.length),
      malignantCall: share(malignantCalls.bothMalignant + malignantCalls.bothBenign, pairs.length),
    },
    classes,
    confusion,
    malignantCalls,
    specimens: {
      compared: compared.length,
      partlyScored: input.specimens.length - compared.length,
      callChanged: changes.length,
      changes,
    },
    reviewedDisagreements: {
      images: reviewed.length,
      activeRight,
      candidateRight,
      neither: reviewed.length - activeRight - candidateRight,
    },
    disagreements: disagreeing.map((pair): ShadowDisagreement => ({
      imageId: pair.imageId,
      specimenId: pair.specimenId,
      accession: pair.accession,
      lab: pair.lab,
      originalName: pair.originalName,
      active: score(pair.active),
      candidate: score(pair.candidate),
      malignantCallChanges: malignantCallChanges(pair, input),
      reviewedLabel: pair.reviewedLabel,
    })),
  };
}

/**
 * Compares `candidate` (its ShadowPredictions) with the `active` version's Predictions of the same
 * images, each at its own operating point, over every lab or one (`labId`).
 */
export async function compareShadow(
  db: Database,
  versions: { active: ModelVersion; candidate: ModelVersion },
  options: { since?: Date; labId?: string } = {},
): Promise<ShadowComparison> {
  const ids = { activeId: versions.active.id, candidateId: versions.candidate.id };
  const pairs = await db.shadowPredictions.pairs({ ...ids, since: options.since, labId: options.labId });
  const specimens = await db.shadowPredictions.specimenCoverage({
    ...ids,
    specimenIds: [...new Set(pairs.map((pair) => pair.specimenId))],
  });
  const complete = new Set(specimens.filter(fullyScored).map((coverage) => coverage.specimenId));
  const specimenPairs =
    options.since === undefined
      ? pairs.filter((pair) => complete.has(pair.specimenId))
      : await db.shadowPredictions.pairs({ ...ids, specimenIds: [...complete] });
  return shadowComparisonFigures({ ...versions, since: options.since ?? null, pairs, specimens, specimenPairs });
}
