import { SUBTYPE_TASK, type Logger } from "@leukoflow/shared";
import type { ModelSlot } from "../serving/model-slot.js";
import { loadServedModel, type RegistryDeps, type ServedModel } from "./served-model.js";

export interface WatcherOptions {
  cacheDir: string;
  pollIntervalMs: number;
  warmBatchSize: number;
}

/**
 * Polls the registry for the active version; when another one is activated it is loaded and
 * warmed beside the current one, then swapped in. Batches already running finish on the old model.
 */
export function watchActiveModel(
  deps: RegistryDeps & { logger: Logger },
  slot: ModelSlot<ServedModel>,
  options: WatcherOptions,
): { stop(): Promise<void> } {
  let stopped = false;
  let polling: Promise<void> = Promise.resolve();
  const poll = async (): Promise<void> => {
    try {
      const active = await deps.db.modelVersions.activeModel(SUBTYPE_TASK);
      if (active.id === slot.model.version.id || stopped) return;
      deps.logger.info({ model: `${active.name}@${active.version}` }, "loading newly activated model version");
      const next = await loadServedModel(deps, active, options.cacheDir, options.warmBatchSize);
      if (stopped) return next.dispose();
      const previous = slot.model.version;
      slot.swap(next);
      deps.logger.info(
        { model: `${active.name}@${active.version}`, previous: `${previous.name}@${previous.version}` },
        "model switched",
      );
    } catch (error) {
      // Keep serving the current version; the next poll tries again.
      deps.logger.error({ err: error }, "could not switch to the active model version");
    }
  };
  const timer = setInterval(() => {
    polling = polling.then(poll);
  }, options.pollIntervalMs);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await polling;
    },
  };
}
