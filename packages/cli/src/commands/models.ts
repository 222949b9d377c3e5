import path from "node:path";
import type { Command } from "commander";
import { publishModel } from "@leukoflow/inference-worker";
import { createPrismaClient, objectStoreFromEnv } from "@leukoflow/shared";
import { loadCommonEnv } from "../runtime-env.js";

export function registerModelsCommand(program: Command): void {
  const models = program.command("models").description("manage the model versions the pipeline serves");
  models
    .command("publish <dir>")
    .description("upload a trained model artifact to object storage and register it")
    .option("--activate", "serve this version from now on", false)
    .action(async (dir: string, options: { activate: boolean }) => {
      const env = loadCommonEnv();
      const prisma = createPrismaClient(env.DATABASE_URL, 2);
      const objectStore = objectStoreFromEnv(env);
      try {
        await objectStore.ensureBucket();
        const version = await publishModel({ prisma, objectStore }, path.resolve(dir), options);
        console.log(`${version.name}@${version.version} ${version.active ? "active" : "registered"} at ${version.artifactUri}`);
      } finally {
        await prisma.$disconnect();
        objectStore.destroy();
      }
    });
}
