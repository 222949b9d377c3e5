import path from "node:path";

/** Everything `stack up` keeps in the state directory (<repo>/.leukoflow, gitignored). */
export function stateFiles(stateDir: string) {
  return {
    stackEnv: path.join(stateDir, "stack.env"),
    started: path.join(stateDir, "started.json"),
    s3Data: path.join(stateDir, "s3"),
    s3Log: path.join(stateDir, "s3rver.log"),
    s3Pid: path.join(stateDir, "s3rver.pid"),
    postgresDir: path.join(stateDir, "postgres"),
    redisDir: path.join(stateDir, "redis"),
    redisLog: path.join(stateDir, "redis.log"),
    redisPid: path.join(stateDir, "redis.pid"),
  };
}
