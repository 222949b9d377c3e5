import path from "node:path";
import { modelsDir, workspaceRoot } from "@leukoflow/shared";

export const REPO_ROOT = workspaceRoot();
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "prisma", "migrations");
export const MODELS_DIR = modelsDir();
export const STATE_DIR = path.join(REPO_ROOT, ".leukoflow");
