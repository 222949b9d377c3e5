import type { Command } from "commander";
import { issueApiKey, type Database } from "@leukoflow/shared";
import { withDatabase } from "../database.js";

/** Creates the lab if needed and a fresh read/write key for it; the key is returned once. */
export async function createLabWithKey(
  db: Database,
  slug: string,
  name: string,
): Promise<{ labId: string; key: string }> {
  const lab = await db.labs.findOrCreate(slug, name);
  const { key } = await issueApiKey(db, { labId: lab.id, name: "cli", scopes: ["READ", "WRITE"], actor: "cli" });
  return { labId: lab.id, key };
}

export function registerLabsCommand(program: Command): void {
  const labs = program.command("labs").description("manage labs (tenants) and their API keys");
  labs
    .command("create <slug>")
    .description("create a lab (or reuse it) and print a new API key for it")
    .option("--name <name>", "display name")
    .action(async (slug: string, options: { name?: string }) => {
      const { labId, key } = await withDatabase((db) => createLabWithKey(db, slug, options.name ?? slug));
      console.log(`lab ${slug} (${labId})\napi key (shown once): ${key}`);
    });
  labs
    .command("review-images <slug> <when>")
    .description(
      "when the lab's review images (mask, overlay, cell crops, Grad-CAM) are made: on-request (when first opened) or eager (as each image is classified, on low-priority queues)",
    )
    .action(async (slug: string, when: string) => {
      if (when !== "on-request" && when !== "eager")
        throw new Error(`review images are made "on-request" or "eager", not "${when}"`);
      await withDatabase(async (db) => {
        const lab = await db.labs.setEagerReviewImages(slug, when === "eager");
        await db.labs.recordAudit({
          labId: lab.id,
          actor: "cli",
          action: "lab.review_images",
          entityType: "lab",
          entityId: lab.id,
          details: { when },
        });
      });
      console.log(`lab ${slug}: review images ${when}`);
    });
}
