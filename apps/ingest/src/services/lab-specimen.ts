import type { PrismaClient, Specimen } from "@leukoflow/shared";
import { problems } from "../problem.js";

/** The caller's lab's specimen; another lab's is as absent as one that does not exist. */
export async function findLabSpecimen(prisma: PrismaClient, labId: string, specimenId: string): Promise<Specimen> {
  const specimen = await prisma.specimen.findFirst({ where: { id: specimenId, labId } });
  if (!specimen) throw problems.notFound("Specimen");
  return specimen;
}
