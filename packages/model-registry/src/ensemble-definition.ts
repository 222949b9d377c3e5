import { createHash } from "node:crypto";

export const ENSEMBLE_ARCHITECTURE = "ensemble";

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
