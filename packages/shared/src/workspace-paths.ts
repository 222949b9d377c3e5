import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root: the nearest parent of this package holding prisma/schema.prisma. */
export function workspaceRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "prisma", "schema.prisma"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find the LeukoFlow workspace root (prisma/schema.prisma)");
    dir = parent;
  }
  return dir;
}

/** The models the product ships (models/), each a folder; models/default.json names the served one. */
export function modelsDir(): string {
  return path.join(workspaceRoot(), "models");
}

/** The real datasets beside the checkout (../shared/datasets); never copied into the project. */
export function datasetsDir(): string {
  return path.resolve(workspaceRoot(), "..", "shared", "datasets");
}

/** The ALL dataset's original images, one folder per class. */
export function ariaOriginalDir(): string {
  return path.join(datasetsDir(), "all-aria", "original");
}

/** Another lab's normal cells (PBC dataset, another scanner), one folder per cell type: what the ALL models never saw. */
export function pbcSubsetDir(): string {
  return path.join(datasetsDir(), "pbc-subset");
}
