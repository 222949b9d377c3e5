export interface StackOptions {
  /** Where the stack keeps its files: stack.env, pid files, logs, s3rver's data. */
  stateDir: string;
  /** Where DATABASE_URL, REDIS_URL, S3_* and S3_PORT are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
}
