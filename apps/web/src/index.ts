import { fileURLToPath } from "node:url";

/** Where `vite build` writes the review workstation; ingest serves this folder at /app/. */
export const webAppDir = fileURLToPath(new URL("./app/", import.meta.url));
