import { listenForServedVersionChanges, SUBTYPE_TASK, type Logger, type ModelVersion } from "@leukoflow/shared";
import type { ModelSlot } from "../serving/model-slot.js";
import { loadServedModel, type RegistryDeps, type ServedModel } from "./served-model.js";

export interface WatcherOptions {
  cacheDir: string;
  /** Where the registry's notifications come from: each one checks at once. */
  databaseUrl: string;
  /** The fallback: how often the registry is read when no notification came. */
  pollIntervalMs: number;
  warmBatchSize: number;
}

/** What a watcher keeps current: the version the registry wants served, and where the loaded one goes. */
export interface WatchedModel {
  /** The version that should be served now; null: none (a shadow that ended). */
  wanted(): Promise<ModelVersion | null>;
  /** The version served now, null before the first. */
  served(): ModelVersion | null;
  /** Makes a loaded and warmed version the one served. */
  serve(next: ServedModel): void;
  /** None is wanted any more: stop serving the current one. */
  retire(): void;
  messages: { loading: string; switched: string; failed: string };
}

/**
 * Checks the registry for the version `target` wants whenever it notifies a change of the served
 * versions, and every `pollIntervalMs` in case a notification was lost; when it changes, the new
 * one is loaded and warmed beside the current one, then swapped in. Batches already running finish
 * on the old model. `poll()` checks at once (a shadow worker at start).
 */
export function watchModelVersion(
  deps: RegistryDeps & { logger: Logger },
  target: WatchedModel,
  options: WatcherOptions,
): { poll(): Promise<void>; stop(): Promise<void> } {
  let stopped = false;
  let polling: Promise<void> = Promise.resolve();
  const ref = (version: ModelVersion) => `${version.name}@${version.version}`;
  const check = async (): Promise<void> => {
    try {
      const wanted = await target.wanted();
      const served = target.served();
      if (stopped || wanted?.id === served?.id) return;
      if (!wanted) {
        target.retire();
        deps.logger.info({ previous: served ? ref(served) : null }, target.messages.switched);
        return;
      }
      deps.logger.info({ model: ref(wanted) }, target.messages.loading);
      const next = await loadServedModel(deps, wanted, options.cacheDir, options.warmBatchSize);
      if (stopped) return next.dispose();
      target.serve(next);
      deps.logger.info({ model: ref(wanted), previous: served ? ref(served) : null }, target.messages.switched);
    } catch (error) {
      // Keep serving the current version; the next poll tries again.
      deps.logger.error({ err: error }, target.messages.failed);
    }
  };
  const poll = (): Promise<void> => (polling = polling.then(check));
  const timer = setInterval(() => void poll(), options.pollIntervalMs);
  const notifications = listenForServedVersionChanges(options.databaseUrl, () => void poll(), deps.logger);
  return {
    poll,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await notifications.close();
      await polling;
    },
  };
}

/**
 * Watches the registry for the active version; when another one is activated it is loaded and
 * warmed beside the current one, then swapped in. Batches already running finish on the old model.
 */
export function watchActiveModel(
  deps: RegistryDeps & { logger: Logger },
  slot: ModelSlot<ServedModel>,
  options: WatcherOptions,
): { stop(): Promise<void> } {
  return watchModelVersion(
    deps,
    {
      wanted: () => deps.db.modelVersions.activeModel(SUBTYPE_TASK),
      served: () => slot.model.version,
      serve: (next) => slot.swap(next),
      // A task always has an active version (activeModel throws otherwise, and the current one stays).
      retire: () => undefined,
      messages: {
        loading: "loading newly activated model version",
        switched: "model switched",
        failed: "could not switch to the active model version",
      },
    },
    options,
  );
}
