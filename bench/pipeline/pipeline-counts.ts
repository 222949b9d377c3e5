import type { PrismaClient } from "@leukoflow/shared/prisma";

/** Counts the benchmarks poll to see a stage progress, read from the rows the workers write. */
export interface PipelineCounts {
  images(specimenId: string): Promise<number>;
  preprocessed(specimenId: string): () => Promise<number>;
  classified(specimenId: string): () => Promise<number>;
  allPredictions(): Promise<number>;
}

export function pipelineCounts(prisma: PrismaClient): PipelineCounts {
  return {
    /** Images a specimen holds: fewer than were uploaded when the dataset repeats a file. */
    images: (specimenId: string) => prisma.image.count({ where: { specimenId } }),
    preprocessed: (specimenId: string) => () =>
      prisma.image.count({ where: { specimenId, status: { not: "RECEIVED" } } }),
    classified: (specimenId: string) => () => prisma.prediction.count({ where: { image: { specimenId } } }),
    allPredictions: () => prisma.prediction.count(),
  };
}
