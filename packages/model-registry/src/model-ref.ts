import type { Database, ModelVersion } from "@leukoflow/shared";

export class UnknownModelVersionError extends Error {
  override readonly name = "UnknownModelVersionError";
}

/** A version as people name it: name@version. */
export function modelRef(version: Pick<ModelVersion, "name" | "version">): string {
  return `${version.name}@${version.version}`;
}

export function parseModelRef(ref: string): { name: string; version: string } {
  const at = ref.lastIndexOf("@");
  if (at <= 0 || at === ref.length - 1)
    throw new UnknownModelVersionError(`${ref}: name a model version as name@version`);
  return { name: ref.slice(0, at), version: ref.slice(at + 1) };
}

export async function findModelVersion(db: Database, ref: string): Promise<ModelVersion> {
  const { name, version: number } = parseModelRef(ref);
  const version = await db.modelVersions.findByRef(name, number);
  if (!version)
    throw new UnknownModelVersionError(`${ref} is not registered; publish it first (leukoflow models publish <dir>)`);
  return version;
}
