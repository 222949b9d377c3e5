import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { SYNTHETIC_KINDS, syntheticNonSmearImages } from "@leukoflow/ml";

export function registerSyntheticImagesCommand(program: Command): void {
  program
    .command("synthetic-images <dir>")
    .description(
      `write PNGs no microscope produced (${SYNTHETIC_KINDS.join(", ")}) into <dir>/<kind>/, e.g. for evaluate --ood`,
    )
    .option("--per-kind <n>", "images of each kind", "20")
    .option("--seed <n>", "the same seed writes the same images", "1")
    .action(async (dir: string, flags: { perKind: string; seed: string }) => {
      const images = await syntheticNonSmearImages(Number(flags.perKind), Number(flags.seed));
      for (const image of images) {
        await mkdir(path.join(dir, image.kind), { recursive: true });
        await writeFile(path.join(dir, image.kind, image.name), image.png);
      }
      console.log(`${images.length} images in ${path.resolve(dir)}`);
    });
}
