import { ImageStatus, type PrismaClient } from "@leukoflow/shared";
import { Gauge } from "prom-client";
import type { PipelineMetrics } from "./pipeline-metrics.js";

/** Exports `leukoflow_images{status}`, counted in Postgres at each scrape (export it from one process only). */
export function exportImageStatusCounts(metrics: PipelineMetrics, prisma: PrismaClient): void {
  new Gauge({
    name: "leukoflow_images",
    help: "Images per status",
    labelNames: ["status"],
    registers: [metrics.registry],
    async collect() {
      const groups = await prisma.image.groupBy({ by: ["status"], _count: { _all: true } });
      const counts = new Map(groups.map((group) => [group.status, group._count._all]));
      for (const status of Object.values(ImageStatus)) this.set({ status }, counts.get(status) ?? 0);
    },
  });
}
