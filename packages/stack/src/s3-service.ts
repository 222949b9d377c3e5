import { ObjectStore } from "@leukoflow/shared";
import { isLocalUrl } from "./local-host.js";
import { stackS3ServerPid, startBackgroundS3Server } from "./s3-background-server.js";
import { S3RVER_ACCESS_KEY_ID, S3RVER_SECRET_ACCESS_KEY } from "./s3-server.js";
import type { StackSettings } from "./stack-settings.js";

export interface S3Access {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Any HTTP answer will do: S3 refuses unsigned requests, but it answers them. */
export async function s3Answers(endpoint: string): Promise<boolean> {
  try {
    await fetch(endpoint, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** Reuses the S3 endpoint answering where the settings point, else starts s3rver there in the background. */
export async function ensureS3(settings: StackSettings, stateDir: string): Promise<S3Access> {
  const endpoint = settings.s3Endpoint;
  const s3rverAccess = { endpoint, accessKeyId: S3RVER_ACCESS_KEY_ID, secretAccessKey: S3RVER_SECRET_ACCESS_KEY };
  const ourPid = stackS3ServerPid(stateDir);
  const answers = await s3Answers(endpoint);
  if (ourPid !== null) {
    if (answers) return s3rverAccess;
    throw new Error(
      `The s3rver stack up started earlier (pid ${ourPid}) does not answer at ${endpoint}: run stack down first`,
    );
  }
  if (answers) {
    return {
      endpoint,
      accessKeyId: settings.s3AccessKeyId ?? S3RVER_ACCESS_KEY_ID,
      secretAccessKey: settings.s3SecretAccessKey ?? S3RVER_SECRET_ACCESS_KEY,
    };
  }
  if (!isLocalUrl(endpoint))
    throw new Error(`S3 at ${endpoint} does not answer, and it is not on this machine for stack up to start`);
  await startBackgroundS3Server(endpoint, stateDir, () => s3Answers(endpoint));
  return s3rverAccess;
}

export async function ensureBucket(access: S3Access, region: string, bucket: string): Promise<void> {
  const store = new ObjectStore({ ...access, region, bucket });
  try {
    await store.ensureBucket();
  } catch (error) {
    const { name, message } = error as Error;
    throw new Error(
      `Cannot find or create bucket ${bucket} at ${access.endpoint}: ${name}${message && message !== name ? `: ${message}` : ""}`,
    );
  } finally {
    store.destroy();
  }
}
