import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { loadStackEnv } from "@leukoflow/stack";
import { STATE_DIR } from "./paths.js";

/** The environment for commands: the process's own variables win over what `stack up` recorded. */
export function commandEnv(): NodeJS.ProcessEnv {
  return { ...loadStackEnv(STATE_DIR), ...process.env };
}

export function loadCommonEnv(): CommonEnv {
  return parseEnv(CommonEnv, commandEnv());
}
