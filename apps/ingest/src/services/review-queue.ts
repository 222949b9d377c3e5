import { TEACHING_FLAGS, type ReviewQueue, type ReviewQueueItem } from "@leukoflow/contracts";
import { Prisma, type PrismaClient } from "@leukoflow/shared";

/** The lab's classified images no one has reviewed, in the order that teaches the next model most (TEACHING_FLAGS, then confidence). */
export async function reviewQueue(prisma: PrismaClient, labId: string, limit: number): Promise<ReviewQueue> {
  const flagOrder = Prisma.join(TEACHING_FLAGS.map((flag) => Prisma.sql`(${flag} = ANY(p.flags)) DESC`));
  const items = await prisma.$queryRaw<ReviewQueueItem[]>`
    SELECT i.id AS "imageId", i.specimen_id AS "specimenId", s.accession, i.original_name AS "originalName",
           p.label, p.confidence, p.malignant_probability AS "malignantProbability", p.flags, p.ood_score AS "oodScore",
           m.name || '@' || m.version AS model, m.malignant_classes AS "malignantClasses"
    FROM image i
    JOIN specimen s ON s.id = i.specimen_id
    JOIN LATERAL (SELECT * FROM prediction WHERE image_id = i.id ORDER BY created_at DESC LIMIT 1) p ON true
    JOIN model_version m ON m.id = p.model_version_id
    WHERE i.lab_id = ${labId}::uuid AND i.status = 'CLASSIFIED' AND NOT EXISTS (SELECT 1 FROM review r WHERE r.image_id = i.id)
    ORDER BY ${flagOrder}, p.confidence ASC, i.created_at ASC
    LIMIT ${limit}`;
  return { items };
}
