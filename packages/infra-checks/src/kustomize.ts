import path from "node:path";
import { readYamlDocuments } from "./yaml-documents.js";

/** A Kubernetes object as kustomize handles it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string> }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
}

interface JsonPatchOperation {
  op: "add" | "replace" | "remove";
  path: string;
  value?: unknown;
}

/**
 * Renders a kustomization with the subset of kustomize that infra/k8s uses: resources (files and
 * directories), namespace, labels (metadata only), images, and patches (strategic merge, matched by
 * kind and name, or JSON 6902 with a target). Anything else in a kustomization is refused, so the
 * manifests cannot drift past what this checks.
 */
export function renderKustomization(dir: string): KubernetesObject[] {
  const [kustomization] = readYamlDocuments(path.join(dir, "kustomization.yaml")) as (Kustomization &
    Record<string, unknown>)[];
  const unsupported = Object.keys(kustomization!).filter(
    (key) => !["apiVersion", "kind", "resources", "namespace", "labels", "images", "patches"].includes(key),
  );
  if (unsupported.length > 0)
    throw new Error(`${dir}: kustomization fields this renderer does not know: ${unsupported.join(", ")}`);
  const { resources = [], namespace, labels = [], images = [], patches = [] } = kustomization!;
  let objects = resources.flatMap((resource) => {
    const target = path.join(dir, resource);
    return resource.endsWith(".yaml") ? (readYamlDocuments(target) as KubernetesObject[]) : renderKustomization(target);
  });
  for (const patch of patches)
    objects = applyPatch(objects, readYamlDocuments(path.join(dir, patch.path))[0], patch.target);
  for (const object of objects) {
    if (namespace) object.metadata.namespace = namespace;
    for (const { pairs } of labels) object.metadata.labels = { ...object.metadata.labels, ...pairs };
    for (const container of podContainers(object)) {
      const [name, tag] = splitImage(container.image);
      const image = images.find((candidate) => candidate.name === name);
      if (image) container.image = `${image.newName ?? name}:${image.newTag ?? tag ?? "latest"}`;
    }
  }
  return objects;
}

function applyPatch(
  objects: KubernetesObject[],
  patch: unknown,
  target?: { kind?: string; name?: string },
): KubernetesObject[] {
  if (Array.isArray(patch)) {
    if (!target) throw new Error("a JSON 6902 patch needs a target");
    const matches = objects.filter(
      (object) =>
        (!target.kind || object.kind === target.kind) && (!target.name || object.metadata.name === target.name),
    );
    if (matches.length === 0) throw new Error(`patch target ${target.kind}/${target.name} matches nothing`);
    for (const object of matches)
      for (const operation of patch as JsonPatchOperation[]) applyJsonPatch(object, operation);
    return objects;
  }
  const partial = patch as KubernetesObject;
  const index = objects.findIndex(
    (object) => object.kind === partial.kind && object.metadata.name === partial.metadata.name,
  );
  if (index < 0) throw new Error(`patch for ${partial.kind}/${partial.metadata.name} matches nothing`);
  return objects.map((object, i) => (i === index ? (strategicMerge(object, partial) as KubernetesObject) : object));
}

/** Maps merge key by key; lists of objects with a `name` merge item by item; anything else is replaced. */
function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch) && patch.every(isNamed)) {
    const merged = base.map((item) => {
      const match = isNamed(item) ? patch.find((candidate) => candidate.name === item.name) : undefined;
      return match ? strategicMerge(item, match) : item;
    });
    return [
      ...merged,
      ...patch.filter((item) => !base.some((existing) => isNamed(existing) && existing.name === item.name)),
    ];
  }
  if (isObject(base) && isObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch))
      merged[key] = key in base ? strategicMerge(base[key], value) : value;
    return merged;
  }
  return patch;
}

function applyJsonPatch(object: KubernetesObject, { op, path: pointer, value }: JsonPatchOperation): void {
  const keys = pointer
    .split("/")
    .slice(1)
    .map((key) => key.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = keys.pop()!;
  let parent: unknown = object;
  for (const key of keys) {
    parent = (parent as Record<string, unknown>)[key];
    if (parent === undefined) throw new Error(`JSON patch path ${pointer} does not exist`);
  }
  const container = parent as Record<string, unknown>;
  if (op !== "add" && !(last in container)) throw new Error(`JSON patch path ${pointer} does not exist`);
  if (op === "remove") {
    if (Array.isArray(container)) container.splice(Number(last), 1);
    else delete container[last];
  } else {
    container[last] = value;
  }
}

function podContainers(object: KubernetesObject): { image: string }[] {
  const template = (object.spec as { template?: { spec?: { containers?: { image: string }[] } } } | undefined)
    ?.template;
  return template?.spec?.containers ?? [];
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(":");
  return at > image.lastIndexOf("/") ? [image.slice(0, at), image.slice(at + 1)] : [image, undefined];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNamed(value: unknown): value is { name: string } {
  return isObject(value) && typeof value.name === "string";
}
