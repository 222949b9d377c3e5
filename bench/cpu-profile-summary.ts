/**
 * Where a V8 CPU profile's time went (the `.cpuprofile` files BENCH_CPU_PROFILE_DIR makes): per
 * profile, the share of its samples by where the running code comes from (a package, the
 * project's own code, Node's internals, the garbage collector, idle), the functions with the most
 * self time, and, with `--match`, the share of samples with a matching frame anywhere on the stack.
 *
 *   npx tsx bench/cpu-profile-summary.ts <profile or directory>... [--top 15] [--match <regex on function or file>]
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "15" }, match: { type: "string" } },
});

/** A package's name, "leukoflow" for the project's own code, "node" for Node's internals, or V8's pseudo-frames. */
function origin({ functionName, url }: ProfileNode["callFrame"]): string {
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node";
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1]!;
  return "leukoflow";
}

function summarize(file: string, top: number, match?: RegExp): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const totalMs = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  const share = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)} %`;

  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let matchedMs = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = byId.get(id)!;
    add(byOrigin, origin(callFrame), ms);
    const where = callFrame.url ? ` ${path.basename(callFrame.url)}:${callFrame.lineNumber + 1}` : "";
    add(byFunction, `${callFrame.functionName || "(anonymous)"}${where} [${origin(callFrame)}]`, ms);
    if (match && onStack(id, (node) => match.test(node.callFrame.functionName) || match.test(node.callFrame.url)))
      matchedMs += ms;
  }
  function onStack(id: number | undefined, test: (node: ProfileNode) => boolean): boolean {
    for (; id !== undefined; id = parent.get(id)) if (test(byId.get(id)!)) return true;
    return false;
  }
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `  ${share(ms)}  ${name}`);
  return [
    `${path.basename(file)}: ${(totalMs / 1000).toFixed(1)} s sampled`,
    ...(match ? [`  ${share(matchedMs)}  with a frame matching ${match} on the stack`] : []),
    " by origin:",
    ...ranked(byOrigin),
    " by function (self time):",
    ...ranked(byFunction),
  ].join("\n");
}

const files = positionals.flatMap((given) =>
  statSync(given).isDirectory()
    ? readdirSync(given)
        .filter((name) => name.endsWith(".cpuprofile"))
        .map((name) => path.join(given, name))
    : [given],
);
if (files.length === 0) throw new Error("no .cpuprofile given: name profiles or a directory holding them");
const match = values.match ? new RegExp(values.match) : undefined;
for (const file of files) console.log(`${summarize(file, Number(values.top), match)}\n`);
