import { readFileSync } from "node:fs";
import path from "node:path";
import { createPipelineMetrics, exportQueueDepth, httpResponsesCounter } from "@leukoflow/observability";
import { describe, expect, it } from "vitest";
import { INFRA_DIR } from "./infra-paths.js";

interface Dashboard {
  uid: string;
  panels: { title: string; targets: { expr: string }[] }[];
}

/** Every metric a LeukoFlow process can export, as the processes register them. */
function exportedMetricNames(): Set<string> {
  const metrics = createPipelineMetrics("dashboard-check");
  exportQueueDepth(metrics, []);
  httpResponsesCounter(metrics);
  // Registered by ingest from Postgres; built the same way as the others.
  const names = metrics.registry.getMetricsAsArray().map((metric) => metric.name);
  return new Set([...names, "leukoflow_images"]);
}

describe("infra/grafana dashboard", () => {
  const dashboard = JSON.parse(
    readFileSync(path.join(INFRA_DIR, "grafana", "dashboards", "leukoflow-pipeline.json"), "utf8"),
  ) as Dashboard;

  it("queries only metrics the processes export", () => {
    const exported = exportedMetricNames();
    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/leukoflow_\w+/g) ?? []),
    );
    expect(queried.length).toBeGreaterThan(10);
    for (const name of queried) expect(exported, name).toContain(name.replace(/_(bucket|sum|count)$/, ""));
  });

  it("covers queue depth, job duration, batch size, inference latency, images per status, errors and backend", () => {
    const expressions = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join("\n");
    for (const name of [
      "leukoflow_queue_jobs",
      "leukoflow_job_duration_seconds_bucket",
      "leukoflow_inference_batch_size",
      "leukoflow_inference_latency_seconds_bucket",
      "leukoflow_images",
      "leukoflow_errors_total",
      "leukoflow_active_backend",
    ])
      expect(expressions).toContain(name);
  });
});
