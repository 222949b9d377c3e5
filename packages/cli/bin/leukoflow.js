#!/usr/bin/env node
// The AWS SDK is pinned (README: "Node 20"); its notice that later releases need Node 22 is not
// news to someone running a command, so it is silenced here unless the caller set the variable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
await import("../dist/main.js");
