import type { SpecimenProgress } from "@leukoflow/contracts";
import { SpecimenStatus, type Database } from "@leukoflow/shared";

export function isSettled(status: SpecimenStatus): boolean {
  return status === SpecimenStatus.COMPLETED || status === SpecimenStatus.FAILED;
}

/** Where a specimen's images stand, or null when the specimen is not the lab's. */
export async function readProgress(db: Database, labId: string, specimenId: string): Promise<SpecimenProgress | null> {
  const specimen = await db.specimens.findInLab(labId, specimenId);
  if (!specimen) return null;
  const counts = await db.images.countByStatus(specimenId);
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    status: specimen.status,
    images: { total, ...counts },
    summary: specimen.summary as SpecimenProgress["summary"],
  };
}
