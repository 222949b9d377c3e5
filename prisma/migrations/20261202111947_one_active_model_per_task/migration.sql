-- Activation deactivated the other versions of a task, but nothing stopped two from being active
-- (the inference worker took the newest, the preprocess worker any). Keep the newest of each task.
UPDATE "model_version" AS older SET "active" = false
WHERE older."active" AND EXISTS (
  SELECT 1 FROM "model_version" AS newer
  WHERE newer."task" = older."task" AND newer."active" AND (newer."created_at", newer."id") > (older."created_at", older."id")
);

-- At most one active version per task.
CREATE UNIQUE INDEX "model_version_one_active_per_task" ON "model_version"("task") WHERE "active";
