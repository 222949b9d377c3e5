export { startS3Server, type RunningS3Server, type S3ServerOptions } from "./s3-server.js";
export { startS3ServerChild, type S3ServerChild } from "./s3-server-child.js";
export { ensureRedisAndPostgres, stackUp } from "./stack-up.js";
export { RedisNotInstalledError } from "./redis-service.js";
export { stackDown } from "./stack-down.js";
export { stackStatus, type ServiceStatus } from "./stack-status.js";
export { loadStackEnv, type StackEnv } from "./stack-env.js";
export type { StackOptions } from "./stack-options.js";
export { freePort } from "./free-port.js";
