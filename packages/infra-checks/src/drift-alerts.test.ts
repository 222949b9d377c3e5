import { readFileSync } from "node:fs";
import path from "node:path";
import { createPipelineMetrics, DRIFT_ALARMS, exportModelDrift } from "@leukoflow/observability";
import { createDatabase } from "@leukoflow/shared";
import { describe, expect, it } from "vitest";
import { INFRA_DIR } from "./infra-paths.js";
import { renderKustomization } from "./kustomize.js";

interface PrometheusRuleSpec {
  groups: { rules: { alert: string; expr: string }[] }[];
}

/** The drift gauges as ingest registers them (a client that is never asked: nothing is scraped here). */
function driftMetricNames(): Set<string> {
  const metrics = createPipelineMetrics("drift-check");
  exportModelDrift(metrics, createDatabase("postgresql://127.0.0.1:1/unused", 1));
  return new Set(
    metrics.registry
      .getMetricsAsArray()
      .map((metric) => metric.name)
      .filter((name) => name.startsWith("leukoflow_model_")),
  );
}

describe("infra/k8s drift alarms and the drift dashboard", () => {
  it("carries exactly the alarm expressions the observability package evaluates", () => {
    const objects = renderKustomization(path.join(INFRA_DIR, "k8s", "overlays", "production"));
    const rule = objects.find(
      (object) => object.kind === "PrometheusRule" && object.metadata.name === "leukoflow-model-drift",
    ) as unknown as { spec: PrometheusRuleSpec } | undefined;
    expect(rule).toBeDefined();
    const rules = Object.fromEntries(rule!.spec.groups.flatMap((group) => group.rules).map((r) => [r.alert, r.expr]));
    expect(rules).toEqual(DRIFT_ALARMS);
  });

  it("the drift dashboard and the alarms query only gauges ingest exports, and every one of them", () => {
    const dashboard = JSON.parse(
      readFileSync(path.join(INFRA_DIR, "grafana", "dashboards", "leukoflow-model-drift.json"), "utf8"),
    ) as { panels: { targets: { expr: string }[] }[] };
    const queried = new Set(
      dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => target.expr.match(/leukoflow_\w+/g) ?? [])),
    );
    const exported = driftMetricNames();
    expect(queried).toEqual(exported);
    for (const expr of Object.values(DRIFT_ALARMS))
      for (const name of expr.match(/leukoflow_\w+/g)!) expect(exported).toContain(name);
  });
});
