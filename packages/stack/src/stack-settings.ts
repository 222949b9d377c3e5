/** What `stack up` aims for, from the environment with the defaults for a local machine. */
export interface StackSettings {
  /** DATABASE_URL, or the embedded PostgreSQL's address (port POSTGRES_PORT, 5432 by default). */
  databaseUrl: string;
  /** Whether DATABASE_URL named the server: then stack up reuses or starts that one, never an embedded one. */
  databaseUrlGiven: boolean;
  redisUrl: string;
  /** S3_ENDPOINT, or the local s3rver's address (port S3_PORT). */
  s3Endpoint: string;
  s3Region: string;
  s3Bucket: string;
  s3AccessKeyId: string | undefined;
  s3SecretAccessKey: string | undefined;
}

export function stackSettings(env: NodeJS.ProcessEnv): StackSettings {
  return {
    databaseUrl: env.DATABASE_URL || `postgresql://postgres@127.0.0.1:${env.POSTGRES_PORT || "5432"}/leukoflow`,
    databaseUrlGiven: Boolean(env.DATABASE_URL),
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    s3Endpoint: env.S3_ENDPOINT || `http://127.0.0.1:${env.S3_PORT || "9000"}`,
    s3Region: env.S3_REGION || "us-east-1",
    s3Bucket: env.S3_BUCKET || "leukoflow",
    s3AccessKeyId: env.S3_ACCESS_KEY_ID || undefined,
    s3SecretAccessKey: env.S3_SECRET_ACCESS_KEY || undefined,
  };
}
