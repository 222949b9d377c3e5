import { existsSync } from "node:fs";
import path from "node:path";
import { CommonEnv } from "@leukoflow/shared";
import { describe, expect, it } from "vitest";
import { effective, parseDockerfile, stageChain } from "./dockerfile.js";
import { INFRA_DIR, REPO_ROOT } from "./infra-paths.js";
import { renderKustomization } from "./kustomize.js";
import { readYamlDocuments } from "./yaml-documents.js";

const DOCKERFILE = path.join(INFRA_DIR, "docker", "Dockerfile");
const APP_TARGETS = [
  "ingest",
  "preprocess-worker",
  "inference-worker",
  "inference-worker-gpu",
  "inference-worker-tfjs-gpu",
  "cli",
];

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
  deploy?: { resources: { reservations: { devices: { driver: string; capabilities: string[] }[] } } };
}

/** compose.yaml's services, with ${VAR:-default} taken at its default as on a host with no .env. */
function composeServices(): Record<string, ComposeService> {
  const [compose] = readYamlDocuments(path.join(INFRA_DIR, "compose.yaml")) as {
    services: Record<string, ComposeService>;
  }[];
  const resolved = JSON.stringify(compose!.services).replace(/\$\{\w+:-([^}]*)\}/g, "$1");
  expect(resolved).not.toMatch(/\$\{/);
  return JSON.parse(resolved) as Record<string, ComposeService>;
}

describe("infra/docker/Dockerfile", () => {
  const stages = parseDockerfile(DOCKERFILE);

  it("builds each app in a build stage and runs it from a slim stage as an unprivileged user", () => {
    for (const target of APP_TARGETS) {
      const chain = stageChain(stages, target);
      expect(chain.length, target).toBeGreaterThan(0);
      const user = effective(stages, target, "USER");
      expect(user, target).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
      const command = effective(stages, target, "ENTRYPOINT") ?? effective(stages, target, "CMD");
      // Exec form: node is PID 1 and gets SIGTERM itself, so graceful shutdown runs.
      expect(() => JSON.parse(command!), target).not.toThrow();
      expect(
        chain
          .flatMap((stage) => stage.instructions)
          .some((i) => i.keyword === "COPY" && i.args.startsWith("--from=build ")),
        target,
      ).toBe(true);
    }
  });

  it("pins every base image and uses COPY, not ADD", () => {
    const external = stages.filter((stage) => !stages.some((other) => other.name === stage.from));
    for (const { from } of external) expect(from, from).toMatch(/^[\w./-]+:[\w.-]+$/);
    for (const { from } of external) expect(from).not.toMatch(/:latest$/);
    expect(stages.flatMap((stage) => stage.instructions).filter((i) => i.keyword === "ADD")).toEqual([]);
  });

  it("runs the GPU worker on ONNX Runtime's CUDA 12 providers, fetched by its install script onto a CUDA 12 + cuDNN base", () => {
    const base = stageChain(stages, "inference-worker-gpu").at(-1)!.from;
    expect(base).toMatch(/^nvidia\/cuda:12\.\d+\.\d+-cudnn-runtime-ubuntu/);
    const installs = stages
      .flatMap((stage) => stage.instructions)
      .map((i) => i.args)
      .join("\n");
    expect(installs).toMatch(/ONNXRUNTIME_NODE_INSTALL=cuda12 node script\/install\.js/);
    expect(effective(stages, "inference-worker-gpu", "ENV")).toMatch(/INFERENCE_ENGINE=onnx/);
  });

  it("runs the tfjs engine's GPU worker on CUDA 11.2 with cuDNN 8, which @tensorflow/tfjs-node-gpu 4.x is built against", () => {
    const base = stageChain(stages, "inference-worker-tfjs-gpu").at(-1)!.from;
    expect(base).toMatch(/^nvidia\/cuda:11\.2\.\d+-cudnn8-runtime-ubuntu/);
    const installs = stages
      .flatMap((stage) => stage.instructions)
      .map((i) => i.args)
      .join("\n");
    expect(installs).toMatch(/@tensorflow\/tfjs-node-gpu@4\.\d+\.\d+/);
  });

  it("runs the preprocess worker on Debian's jemalloc, preloaded (sharp on glibc malloc fragments: lovell/sharp#2324)", () => {
    const runs = stageChain(stages, "preprocess-worker")
      .flatMap((stage) => stage.instructions)
      .filter((i) => i.keyword === "RUN");
    expect(runs.map((i) => i.args).join("\n")).toMatch(/apt-get install -y --no-install-recommends libjemalloc2\b/);
    expect(effective(stages, "preprocess-worker", "ENV")).toMatch(/^LD_PRELOAD=\/usr\/local\/lib\/libjemalloc\.so\.2$/);
    for (const target of APP_TARGETS.filter((name) => name !== "preprocess-worker")) {
      const envs = stageChain(stages, target)
        .flatMap((stage) => stage.instructions)
        .filter((i) => i.keyword === "ENV");
      expect(envs.map((i) => i.args).join("\n"), target).not.toMatch(/LD_PRELOAD/);
    }
  });

  it("has a target for every image the Kubernetes manifests run", () => {
    const images = renderKustomization(path.join(INFRA_DIR, "k8s", "base"))
      .flatMap(
        (object) =>
          (object.spec as { template?: { spec: { containers: { image: string }[] } } })?.template?.spec.containers ??
          [],
      )
      .map((container) => container.image.replace(/^leukoflow\//, "").replace(/:.*$/, ""));
    for (const image of images) expect(APP_TARGETS).toContain(image);
  });
});

describe("infra/compose.yaml", () => {
  const services = composeServices();
  const stageNames = parseDockerfile(DOCKERFILE).map((stage) => stage.name);

  it("builds every app service from an existing context, Dockerfile and target", () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.build) continue;
      const context = path.resolve(INFRA_DIR, service.build.context);
      expect(context, name).toBe(REPO_ROOT);
      expect(existsSync(path.join(context, service.build.dockerfile)), name).toBe(true);
      expect(stageNames, name).toContain(service.build.target);
    }
  });

  it("runs the whole pipeline under each profile, after migrations and the model are in place", () => {
    const inProfile = (profile: string) =>
      Object.keys(services).filter((name) => services[name]!.profiles?.includes(profile));
    expect(inProfile("pipeline").sort()).toEqual([
      "inference-worker",
      "inference-worker-shadow",
      "ingest",
      "preprocess-worker",
      "setup",
    ]);
    expect(inProfile("pipeline-gpu").sort()).toEqual([
      "inference-worker-gpu",
      "inference-worker-shadow",
      "ingest",
      "preprocess-worker",
      "setup",
    ]);
    expect(services["inference-worker-shadow"]!.environment).toMatchObject({ INFERENCE_ROLE: "shadow" });
    for (const app of [
      "ingest",
      "preprocess-worker",
      "inference-worker",
      "inference-worker-gpu",
      "inference-worker-shadow",
    ]) {
      expect(services[app]!.depends_on).toEqual({ setup: { condition: "service_completed_successfully" } });
      // Every variable a LeukoFlow process requires is given, and valid.
      expect(() => CommonEnv.parse(services[app]!.environment), app).not.toThrow();
    }
    expect(services.setup!.depends_on).toMatchObject({
      postgres: { condition: "service_healthy" },
      redis: { condition: "service_healthy" },
    });
    const gpu = services["inference-worker-gpu"]!.deploy!.resources.reservations.devices[0]!;
    expect(gpu).toMatchObject({ driver: "nvidia", capabilities: ["gpu"] });
    expect(services.setup!.environment).toEqual(services.ingest!.environment);
  });

  it("keeps the backing services that run without a profile", () => {
    for (const name of ["postgres", "redis", "minio", "minio-init"]) {
      expect(services[name]!.image, name).toBeDefined();
      expect(services[name]!.profiles, name).toBeUndefined();
    }
  });

  it("mounts Prometheus and Grafana configuration that exists", () => {
    for (const name of ["prometheus", "grafana"]) {
      for (const volume of services[name]!.volumes!)
        expect(existsSync(path.resolve(INFRA_DIR, volume.split(":")[0]!)), volume).toBe(true);
    }
  });
});
