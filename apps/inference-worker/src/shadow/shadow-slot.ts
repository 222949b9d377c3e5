import type { ModelVersion } from "@leukoflow/shared";
import type { ServedModel } from "../model-registry/served-model.js";
import { ModelSlot, type Lease } from "../serving/model-slot.js";

/** A shadow job reached a worker that has no version in shadow loaded (none is, or it is still loading). */
export class NoShadowLoadedError extends Error {
  override readonly name = "NoShadowLoadedError";
}

/**
 * The version in shadow as a shadow worker serves it: empty until one is set, then swapped as the
 * active slot is (the same ModelSlot), and retired when the shadow ends.
 */
export class ShadowSlot {
  private slot: ModelSlot<ServedModel> | null = null;

  get version(): ModelVersion | null {
    return this.slot?.model.version ?? null;
  }

  serve(next: ServedModel): void {
    if (this.slot) this.slot.swap(next);
    else this.slot = new ModelSlot(next);
  }

  retire(): void {
    this.slot?.retire();
    this.slot = null;
  }

  acquire(): Lease<ServedModel> {
    if (!this.slot) throw new NoShadowLoadedError("no version in shadow is loaded");
    return this.slot.acquire();
  }

  dispose(): void {
    this.slot?.dispose();
    this.slot = null;
  }
}
