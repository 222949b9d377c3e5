import { ImageStatus, type Database } from "@leukoflow/shared";
import { Gauge } from "prom-client";
import type { PipelineMetrics } from "./pipeline-metrics.js";
import { COLLECT_TIMEOUT_MS } from "./queue-depth.js";
import { withTimeout } from "./with-timeout.js";

/**
 * Exports `leukoflow_images{status}`, counted in Postgres at each scrape (export it from one process
 * only); left out when Postgres does not answer.
 */
export function exportImageStatusCounts(metrics: PipelineMetrics, db: Database): void {
  new Gauge({
    name: "leukoflow_images",
    help: "Images per status",
    labelNames: ["status"],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const counts = await withTimeout(db.images.countByStatus(), COLLECT_TIMEOUT_MS).catch(() => undefined);
      if (!counts) return;
      for (const status of Object.values(ImageStatus)) this.set({ status }, counts[status]);
    },
  });
}
