import { defineConfig } from "vite";

// The browser app lives in ui/ and is built next to the package's Node entry (dist/index.js),
// which tells ingest where to serve it from.
export default defineConfig({
  root: "ui",
  base: "/app/",
  build: { outDir: "../dist/app", emptyOutDir: true },
});
