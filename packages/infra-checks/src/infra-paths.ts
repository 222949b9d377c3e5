import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..", "..");
export const INFRA_DIR = path.join(REPO_ROOT, "infra");
