import path from "node:path";
import { CommonEnv } from "@leukoflow/shared";
import { QueueKeys } from "bullmq";
import { describe, expect, it } from "vitest";
import { INFRA_DIR } from "./infra-paths.js";
import { renderKustomization, type KubernetesObject } from "./kustomize.js";
import { validateAgainstSchema } from "./kubernetes-schemas.js";
import { QUEUE_NAMES } from "@leukoflow/contracts";

const OVERLAYS = ["production", "cpu-only"];
const render = (overlay: string) => renderKustomization(path.join(INFRA_DIR, "k8s", "overlays", overlay));
const find = (objects: KubernetesObject[], kind: string, name: string) => {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`${kind}/${name} not rendered`);
  return object as KubernetesObject & { spec: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const WORKERS = ["preprocess-worker", "inference-worker", "inference-worker-shadow"];
const WORKER_QUEUES: Record<string, "preprocess" | "inference" | "shadow-inference"> = {
  "preprocess-worker": "preprocess",
  "inference-worker": "inference",
  "inference-worker-shadow": "shadow-inference",
};

describe.each(OVERLAYS)("infra/k8s overlay %s", (overlay) => {
  const objects = render(overlay);

  it("renders objects that each pass their Kubernetes or KEDA schema", () => {
    expect(objects.length).toBeGreaterThan(10);
    for (const object of objects) expect(() => validateAgainstSchema(object)).not.toThrow();
    expect(new Set(objects.map((object) => object.metadata.namespace)).size).toBe(1);
  });

  it("runs every app non-root with probes, a PodDisruptionBudget, and time to hand jobs back", () => {
    const config = find(objects, "ConfigMap", "leukoflow-config") as unknown as { data: Record<string, string> };
    const deadlineSeconds = Number(config.data.SHUTDOWN_DEADLINE_MS) / 1000;
    for (const name of ["ingest", ...WORKERS]) {
      const { spec } = find(objects, "Deployment", name);
      const pod = spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, name).toBe(true);
      expect(pod.securityContext.runAsUser, name).toBeGreaterThan(0);
      // The process exits at most 5 s after the deadline (packages/shared process-lifecycle.ts).
      expect(pod.terminationGracePeriodSeconds, name).toBeGreaterThan(deadlineSeconds + 5);
      for (const container of pod.containers) {
        expect(container.livenessProbe.httpGet.path).toBe("/health/live");
        expect(container.readinessProbe.httpGet.path).toBe("/health/ready");
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
        });
        expect(container.envFrom).toEqual([
          { configMapRef: { name: "leukoflow-config" } },
          { secretRef: { name: "leukoflow-secrets" } },
        ]);
      }
      const budget = find(objects, "PodDisruptionBudget", name);
      expect(budget.spec.selector.matchLabels).toEqual(spec.selector.matchLabels);
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    }
    const service = find(objects, "Service", "ingest");
    expect(find(objects, "Deployment", "ingest").spec.template.metadata.labels).toMatchObject(service.spec.selector);
  });

  it("scales each worker with KEDA on the Redis keys BullMQ keeps its waiting, prioritized and delayed jobs in", () => {
    const prefix = (find(objects, "ConfigMap", "leukoflow-config") as unknown as { data: Record<string, string> }).data
      .QUEUE_PREFIX!;
    expect(prefix).toBe(CommonEnv.shape.QUEUE_PREFIX.parse(undefined));
    for (const name of WORKERS) {
      const queue = WORKER_QUEUES[name]!;
      expect(QUEUE_NAMES).toContain(queue);
      const keys = new QueueKeys(prefix).getKeys(queue);
      const scaled = find(objects, "ScaledObject", name);
      expect(scaled.spec.scaleTargetRef.name).toBe(find(objects, "Deployment", name).metadata.name);
      expect(scaled.spec.replicas).toBeUndefined();
      const watched = scaled.spec.triggers.map((trigger: { type: string; metadata: { listName: string } }) => {
        expect(trigger.type).toBe("redis");
        return trigger.metadata.listName;
      });
      expect(watched.sort()).toEqual([keys.wait, keys.prioritized, keys.delayed].sort());
      expect(find(objects, "Deployment", name).spec.replicas).toBeUndefined();
    }
  });
});

describe.each(OVERLAYS)("shadow inference workers on overlay %s", (overlay) => {
  it("are pods of their own, on the CPU image, consuming the shadow queue only", () => {
    const pod = find(render(overlay), "Deployment", "inference-worker-shadow").spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: "INFERENCE_ROLE", value: "shadow" });
    expect(JSON.stringify(pod)).not.toContain("nvidia.com/gpu");
    expect(pod.containers[0].image).toMatch(/leukoflow\/inference-worker:0\.1\.0$/);
    const active = find(render(overlay), "Deployment", "inference-worker").spec.template.spec;
    expect(JSON.stringify(active.containers[0].env)).not.toContain("INFERENCE_ROLE");
  });
});

describe("GPU placement", () => {
  const inferencePod = (overlay: string) => find(render(overlay), "Deployment", "inference-worker").spec.template.spec;

  it("requests an NVIDIA GPU and runs the CUDA image in production", () => {
    const pod = inferencePod("production");
    expect(pod.containers[0].resources.limits["nvidia.com/gpu"]).toBe(1);
    expect(pod.containers[0].image).toBe("registry.example.org/leukoflow/inference-worker-gpu:0.1.0");
    expect(pod.tolerations).toContainEqual({ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" });
  });

  it("asks for no GPU and runs the CPU image on the cpu-only overlay", () => {
    const pod = inferencePod("cpu-only");
    expect(JSON.stringify(pod)).not.toContain("nvidia.com/gpu");
    expect(pod.containers[0].image).toBe("leukoflow/inference-worker:0.1.0");
    expect(pod.containers[0].env).toContainEqual({ name: "INFERENCE_ENGINE", value: "onnx" });
    expect(pod.containers[0].env).toContainEqual({ name: "INFERENCE_PROVIDER", value: "cpu" });
  });
});
