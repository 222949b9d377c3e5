// The registry this project installs from serves turbo's Linux binaries but not its macOS and
// Windows ones, so `npm install` leaves those optional entries out of package-lock.json, and
// `npm ci` then refuses the lock as out of sync. Put them back, shaped like npm writes them.
import { readFileSync, writeFileSync } from "node:fs";

const LOCKFILE = new URL("../package-lock.json", import.meta.url);
const PLATFORMS = {
  "darwin-64": { os: ["darwin"], cpu: ["x64"] },
  "darwin-arm64": { os: ["darwin"], cpu: ["arm64"] },
  "windows-64": { os: ["win32"], cpu: ["x64"] },
  "windows-arm64": { os: ["win32"], cpu: ["arm64"] },
};

const lock = JSON.parse(readFileSync(LOCKFILE, "utf8"));
const turbo = lock.packages["node_modules/turbo"];
let added = 0;
for (const [platform, { os, cpu }] of Object.entries(PLATFORMS)) {
  const name = `@turbo/${platform}`;
  const key = `node_modules/${name}`;
  const version = turbo?.optionalDependencies?.[name];
  if (!version || lock.packages[key]) continue;
  lock.packages[key] = { version, cpu, dev: true, license: "MIT", optional: true, os };
  added++;
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
  );
  writeFileSync(LOCKFILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`package-lock.json: restored ${added} turbo platform entries the registry does not serve`);
}
