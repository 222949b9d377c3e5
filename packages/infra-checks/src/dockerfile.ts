import { readFileSync } from "node:fs";

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  /** The image or earlier stage it starts from, with ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
}

/** Stages of a Dockerfile, with line continuations joined and comments dropped. */
export function parseDockerfile(file: string): Stage[] {
  const lines = readFileSync(file, "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim());
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of lines) {
    if (!line || line.startsWith("#")) continue;
    const [, keyword = "", rest = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: rest };
    if (instruction.keyword === "ARG" && stages.length === 0) {
      const [name, value = ""] = rest.split("=", 2);
      args.set(name!, value);
    } else if (instruction.keyword === "FROM") {
      const [image = "", , name] = rest.replace(/\$\{(\w+)\}/g, (_, arg: string) => args.get(arg) ?? "").split(/\s+/);
      stages.push({ name: name ?? String(stages.length), from: image, instructions: [] });
    } else {
      if (stages.length === 0) throw new Error(`${file}: ${keyword} before the first FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

/** A stage followed by the stages it is built FROM, up to the external base image. */
export function stageChain(stages: Stage[], name: string): Stage[] {
  const chain: Stage[] = [];
  let stage = stages.find((candidate) => candidate.name === name);
  while (stage) {
    chain.push(stage);
    const parent: string = stage.from;
    stage = stages.find((candidate) => candidate.name === parent);
  }
  return chain;
}

/** The last value of an instruction along a stage's chain (USER, CMD, …), as the built image has it. */
export function effective(stages: Stage[], name: string, keyword: string): string | undefined {
  for (const stage of stageChain(stages, name)) {
    const found = stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1);
    if (found) return found.args;
  }
  return undefined;
}
