/**
 * The layers (docs/contributing.md "Layers"): apps → packages, never the other way; no app imports
 * another; no import cycles; ml's serving code runs without its training code. `npm run lint:deps`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "packages-not-to-apps",
      comment: "A package is shared code: it never depends on an app (an app's entry point comes from whoever starts it).",
      severity: "error",
      from: { path: "^packages/", pathNot: "\\.test\\.ts$" },
      to: { path: "^apps/" },
    },
    {
      name: "package-tests-only-to-app-harnesses",
      comment: "A package's integration test may run an app through the app's own test harness (apps/<app>/test/), nothing else of it.",
      severity: "error",
      from: { path: "^packages/.+\\.test\\.ts$" },
      to: { path: "^apps/", pathNot: "^apps/[^/]+/test/" },
    },
    {
      name: "apps-not-to-other-apps",
      comment: "Apps meet through queues, storage and HTTP, and share code through packages.",
      severity: "error",
      from: { path: "^apps/([^/]+)/", pathNot: ["^apps/web/src/e2e/", "\\.test\\.ts$"] },
      to: { path: "^apps/", pathNot: "^apps/$1/" },
    },
    {
      name: "app-tests-only-to-app-entries",
      comment:
        "An app's integration test may run another app in process through its package entry (declared as a devDependency), nothing else of it.",
      severity: "error",
      from: { path: "^apps/([^/]+)/.+\\.test\\.ts$" },
      to: { path: "^apps/", pathNot: ["^apps/$1/", "^apps/[^/]+/dist/index\\.js$"] },
    },
    {
      name: "web-e2e-harness-only-to-declared-apps",
      comment:
        "apps/web's end-to-end test is a harness: it runs the pipeline in-process, so it may start the three back-end apps (declared as devDependencies of @leukoflow/web), nothing else of theirs.",
      severity: "error",
      from: { path: "^apps/web/src/e2e/" },
      to: { path: "^apps/", pathNot: ["^apps/web/", "^apps/(ingest|preprocess-worker|inference-worker)/dist/index\\.js$"] },
    },
    {
      name: "ml-serving-not-to-training",
      comment:
        "What a worker loads to serve a model (serving/, its onnx/ engine), the artifact files both sides read (model/) and the OOD detector (ood/) run without training or evaluation code: training/ and evaluation/ build on them, never the other way.",
      severity: "error",
      from: { path: "^packages/ml/src/(serving|model|ood)/", pathNot: "\\.test\\.ts$" },
      to: { path: "^packages/ml/src/(training|evaluation|keras)/" },
    },
    {
      name: "prisma-only-in-repositories",
      comment:
        "The raw Prisma client (@leukoflow/shared/prisma, the generated client, @prisma/*) belongs to the repository layer (packages/shared/src/repositories, with the client factory and the row types beside it): routes call services, services and handlers call repositories through a Database. Tests, test harnesses and benchmarks may set up and inspect rows with it; migrations use pg.",
      severity: "error",
      from: {
        pathNot: [
          "^packages/shared/src/(repositories/|prisma\\.ts$|database\\.ts$)",
          "\\.test\\.ts$",
          "^test/",
          "^apps/[^/]+/test/",
          "^bench/",
        ],
      },
      to: { path: ["^packages/shared/(src|dist)/(prisma|generated/)", "(^|/)node_modules/@prisma/"] },
    },
    {
      name: "no-circular",
      comment: "Import cycles that exist at run time; a cycle through type-only imports is erased by the compiler.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "(^|/)dist/"] },
    exclude: { path: "(^|/)generated/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
