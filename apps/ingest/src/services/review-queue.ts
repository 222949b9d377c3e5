import { TEACHING_FLAGS, type ReviewQueue, type ReviewQueueItem, type ShadowInReview } from "@leukoflow/contracts";
import { byReviewPriority, SUBTYPE_TASK, type Database } from "@leukoflow/shared";
import { problems } from "../problem.js";

/**
 * The lab's classified images no one has reviewed, in the order that teaches the next model most
 * (TEACHING_FLAGS, then confidence); with `disagreesWith`, only those a version in shadow labels
 * differently (the same pairs `leukoflow models compare` reads), malignant-call changes first.
 */
export async function reviewQueue(
  db: Database,
  labId: string,
  query: { limit: number; disagreesWith?: string },
): Promise<ReviewQueue> {
  const shadow = await shadowInReview(db);
  if (query.disagreesWith !== undefined)
    return { items: await disagreements(db, labId, query.disagreesWith, query.limit), shadow };
  return { items: await db.images.listUnreviewed(labId, TEACHING_FLAGS, query.limit), shadow };
}

async function shadowInReview(db: Database): Promise<ShadowInReview | null> {
  const version = await db.modelVersions.findShadow(SUBTYPE_TASK);
  if (!version?.shadowSample || !version.shadowStartedAt) return null;
  return {
    model: `${version.name}@${version.version}`,
    sample: version.shadowSample,
    since: version.shadowStartedAt.toISOString(),
  };
}

async function disagreements(db: Database, labId: string, ref: string, max: number): Promise<ReviewQueueItem[]> {
  const at = ref.lastIndexOf("@");
  const candidate = await db.modelVersions.findByRef(ref.slice(0, at), ref.slice(at + 1));
  if (!candidate) throw problems.notFound(`Model version ${ref}`);
  const active = await db.modelVersions.activeModel(candidate.task);
  const pairs = await db.shadowPredictions.pairs({
    activeId: active.id,
    candidateId: candidate.id,
    labId,
    unreviewedOnly: true,
    disagreeingOnly: true,
  });
  return pairs
    .sort(byReviewPriority({ active, candidate }))
    .slice(0, max)
    .map((pair) => ({
      imageId: pair.imageId,
      specimenId: pair.specimenId,
      accession: pair.accession,
      originalName: pair.originalName,
      ...pair.active,
      malignantClasses: active.malignantClasses,
      model: `${active.name}@${active.version}`,
      shadow: { model: ref, ...pair.candidate, malignantClasses: candidate.malignantClasses },
    }));
}
