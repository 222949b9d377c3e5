import path from "node:path";
import { listImagesRecursively, oodFlags, shiftNamed } from "@leukoflow/ml";

export interface OodReport {
  /** The images of the --ood folder. */
  ood: { n: number; flagRate: number };
  /** The evaluated images of --data. */
  inDistributionFlagRate: number;
  /** The evaluated images of --data under each shift of --shift. */
  inDistributionFlagRateUnderShift?: Record<string, number>;
}

const share = (flags: readonly boolean[]): number => flags.filter(Boolean).length / flags.length;

/** Shares of images the inference worker would flag out_of_distribution: other images, the evaluated ones, and those under shift. */
export async function oodReport(
  modelDirs: string[],
  oodDir: string,
  inDistributionFiles: string[],
  shiftNames: string[],
): Promise<OodReport> {
  const oodFiles = await listImagesRecursively(path.resolve(oodDir));
  if (oodFiles.length === 0) throw new Error(`no images under ${oodDir}`);
  const report: OodReport = {
    ood: { n: oodFiles.length, flagRate: share(await oodFlags(modelDirs, oodFiles)) },
    inDistributionFlagRate: share(await oodFlags(modelDirs, inDistributionFiles)),
  };
  if (shiftNames.length > 0) {
    report.inDistributionFlagRateUnderShift = {};
    for (const name of shiftNames)
      report.inDistributionFlagRateUnderShift[name] = share(
        await oodFlags(modelDirs, inDistributionFiles, shiftNamed(name)),
      );
  }
  return report;
}
