import type { PrismaClient } from "./generated/prisma/client.js";
import { ImageStatus } from "./generated/prisma/enums.js";
import { completeSpecimenIfSettled } from "./specimen-completion.js";

/** Records why an image cannot be classified, then lets its specimen complete without it. */
export async function failImage(prisma: PrismaClient, imageId: string, reason: string): Promise<void> {
  const image = await prisma.image.update({
    where: { id: imageId },
    data: { status: ImageStatus.FAILED, failureReason: reason.slice(0, 1_000) },
    select: { specimenId: true },
  });
  await completeSpecimenIfSettled(prisma, image.specimenId);
}
