import { seededRandom } from "@leukoflow/imaging";

/** Images per specimen, as in a smear review: a technologist photographs 6 to 12 fields. */
export const SPECIMEN_SIZE: readonly [number, number] = [6, 12];

export interface LabelledImage {
  label: number;
  fileNumber: number;
}

/**
 * Groups images into specimens as a lab would have them: per class, runs of consecutive file
 * numbers (neighbouring numbers come from the same smear), each of SPECIMEN_SIZE images, sizes
 * drawn from a fixed seed so every evaluation forms the same specimens. A class with fewer than
 * the smallest size gives one smaller specimen. Returns image indices per specimen.
 */
export function labSpecimens(images: readonly LabelledImage[], seed = 23): number[][] {
  const [smallest, largest] = SPECIMEN_SIZE;
  const random = seededRandom(seed);
  const specimens: number[][] = [];
  for (const label of [...new Set(images.map((image) => image.label))].sort((a, b) => a - b)) {
    const run = images
      .flatMap((image, i) => (image.label === label ? [i] : []))
      .sort((a, b) => images[a]!.fileNumber - images[b]!.fileNumber);
    let start = 0;
    while (run.length - start > largest) {
      const drawn = smallest + Math.floor(random() * (largest - smallest + 1));
      const size = Math.min(drawn, run.length - start - smallest);
      specimens.push(run.slice(start, start + size));
      start += size;
    }
    if (start < run.length) specimens.push(run.slice(start));
  }
  return specimens;
}
