import { TEACHING_FLAGS, type ReviewQueue } from "@leukoflow/contracts";
import type { Database } from "@leukoflow/shared";

/** The lab's classified images no one has reviewed, in the order that teaches the next model most (TEACHING_FLAGS, then confidence). */
export async function reviewQueue(db: Database, labId: string, limit: number): Promise<ReviewQueue> {
  return { items: await db.images.listUnreviewed(labId, TEACHING_FLAGS, limit) };
}
