import { createHash } from "node:crypto";
import { OperatingPoint } from "@leukoflow/shared";
import { z } from "zod";

export const ENSEMBLE_FILE = "ensemble.json";
export const ENSEMBLE_ARCHITECTURE = "ensemble";

/** ensemble.json: an ensemble of registered model versions, soft voting with the given weights. */
export const EnsembleDefinition = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  task: z.string().min(1),
  members: z.array(z.object({ name: z.string().min(1), version: z.string().min(1), weight: z.number().positive() })).min(1),
  /** The ensemble's own operating point (`models calibrate <ensemble dir> --target-sensitivity`); absent: the default thresholds. */
  operatingPoint: OperatingPoint.optional(),
});
export type EnsembleDefinition = z.infer<typeof EnsembleDefinition>;

export interface ResolvedMember {
  name: string;
  version: string;
  artifactSha256: string;
  weight: number;
}

/** The ensemble's artifactSha256: pins every member's artifact and weight, in order. */
export function ensembleDigest(name: string, version: string, members: readonly ResolvedMember[]): string {
  const canonical = JSON.stringify({
    name,
    version,
    members: members.map(({ name, version, artifactSha256, weight }) => ({ name, version, artifactSha256, weight })),
  });
  return createHash("sha256").update(canonical).digest("hex");
}
