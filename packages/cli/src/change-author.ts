import { userInfo } from "node:os";
import type { ChangeAuthor } from "@leukoflow/model-registry";

/** The author a command records for a change: `cli:<who>` (the login name unless --by) and the reason given. */
export function changeAuthor(reason: string, by?: string): ChangeAuthor {
  return { actor: `cli:${by ?? userInfo().username}`, reason };
}
