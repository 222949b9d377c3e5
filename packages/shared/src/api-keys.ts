import { createHash, randomBytes } from "node:crypto";

export interface GeneratedApiKey {
  /** Shown to the caller once; never stored. */
  key: string;
  prefix: string;
  secretHash: string;
}

/** Keys look like `lf_<8-char prefix>_<secret>`; the prefix lets admins tell keys apart. */
export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(6).toString("base64url").slice(0, 8);
  const key = `lf_${prefix}_${randomBytes(24).toString("base64url")}`;
  return { key, prefix, secretHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}
