import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace root: the nearest parent of this package holding prisma/schema.prisma. */
function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "prisma", "schema.prisma"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("Cannot find the LeukoFlow workspace root (prisma/schema.prisma)");
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");
export const MODELS_DIR = path.join(REPO_ROOT, "models");
export const STATE_DIR = path.join(REPO_ROOT, ".leukoflow");
