import { labUploadPrefixes } from "@leukoflow/contracts";
import type { Database, ListedObject, Logger, ObjectStore } from "@leukoflow/shared";

/** Upload objects are stored as `labs/<lab id>/images/<image id>` and `labs/<lab id>/uploads/<direct-upload id>`. */
const UPLOAD_KEY = /^labs\/[^/]+\/(images|uploads)\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UnownedUploadDeps {
  db: Database;
  objectStore: ObjectStore;
  logger: Logger;
  /** Only objects stored longer ago than this are looked at: a younger one may be an upload whose row is being written. */
  minAgeMs: number;
}

export interface UnownedUploadSweep {
  /** Upload objects old enough to be looked at. */
  examined: number;
  /** Found unowned for the first time; deleted by the next sweep if still so. */
  awaitingConfirmation: number;
  deleted: number;
}

/**
 * Deletes upload objects that no Image and no pending DirectUpload owns. An upload's object is
 * stored before its row is written, and removed again when the row cannot be; what is left when
 * that cleanup cannot run (Postgres lost after a direct upload was claimed, the process killed
 * between the two) is found here. An object is deleted only when the sweep before found it unowned
 * too: in between, a direct upload caught while being completed (its row claimed, its image not yet
 * written) has become an image or been given back. Objects under the prefix whose name is not an
 * id LeukoFlow gave are left alone.
 */
export class UnownedUploadSweeper {
  private unownedLastSweep = new Set<string>();

  constructor(private readonly deps: UnownedUploadDeps) {}

  async sweep(now = new Date()): Promise<UnownedUploadSweep> {
    const result = { examined: 0, deleted: 0 };
    const before = now.getTime() - this.deps.minAgeMs;
    const unownedNow = new Set<string>();
    const labIds = await this.deps.db.labs.listIds();
    for (const prefix of labIds.flatMap((labId) => labUploadPrefixes(labId))) {
      for await (const page of this.deps.objectStore.listPages(prefix)) {
        const old = page.filter((object) => object.lastModified.getTime() < before && UPLOAD_KEY.test(object.key));
        result.examined += old.length;
        for (const key of await this.unowned(old)) {
          if (!this.unownedLastSweep.has(key)) {
            unownedNow.add(key);
            continue;
          }
          await this.deps.objectStore.delete(key);
          this.deps.logger.warn({ key }, "deleted an upload object no image or pending upload owns");
          result.deleted += 1;
        }
      }
    }
    this.unownedLastSweep = unownedNow;
    return { ...result, awaitingConfirmation: unownedNow.size };
  }

  private async unowned(objects: ListedObject[]): Promise<string[]> {
    if (objects.length === 0) return [];
    const keys = objects.map((object) => object.key);
    // By key, not by the id in it: images with the same bytes share one object.
    const owned = await this.deps.db.images.findOwnedObjectKeys(keys);
    return keys.filter((key) => !owned.has(key));
  }
}
