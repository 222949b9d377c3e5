import type { SpecimenProgress } from "@leukoflow/contracts";
import { SpecimenStatus, type PrismaClient } from "@leukoflow/shared";

export function isSettled(status: SpecimenStatus): boolean {
  return status === SpecimenStatus.COMPLETED || status === SpecimenStatus.FAILED;
}

/** Where a specimen's images stand, or null when the specimen is not the lab's. */
export async function readProgress(
  prisma: PrismaClient,
  labId: string,
  specimenId: string,
): Promise<SpecimenProgress | null> {
  const specimen = await prisma.specimen.findFirst({
    where: { id: specimenId, labId },
    select: { status: true, summary: true },
  });
  if (!specimen) return null;
  const groups = await prisma.image.groupBy({ by: ["status"], where: { specimenId }, _count: { _all: true } });
  const images = { total: 0, RECEIVED: 0, PREPROCESSED: 0, CLASSIFIED: 0, FAILED: 0 };
  for (const group of groups) {
    images[group.status] = group._count._all;
    images.total += group._count._all;
  }
  return { status: specimen.status, images, summary: specimen.summary as SpecimenProgress["summary"] };
}
