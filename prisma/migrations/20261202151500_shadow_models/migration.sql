-- Shadow models (`leukoflow models shadow`): a candidate version scores live images beside the
-- active one. Its state lives on its ModelVersion, at most one per task.
ALTER TABLE "model_version" ADD COLUMN     "shadow_sample" DOUBLE PRECISION,
ADD COLUMN     "shadow_started_at" TIMESTAMPTZ(3),
ADD COLUMN     "initialised_from" TEXT;

-- At most one version of a task is in shadow.
CREATE UNIQUE INDEX "model_version_one_shadow_per_task" ON "model_version"("task") WHERE "shadow_sample" IS NOT NULL;

-- CreateTable: the shadow's scores, apart from Prediction so nothing a lab sees can read them.
CREATE TABLE "shadow_prediction" (
    "id" UUID NOT NULL,
    "image_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "probabilities" JSONB NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "malignant_probability" DOUBLE PRECISION NOT NULL,
    "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "ood_score" DOUBLE PRECISION,
    "members" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shadow_prediction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "shadow_prediction_image_id_model_version_id_key" ON "shadow_prediction"("image_id", "model_version_id");

-- CreateIndex
CREATE INDEX "shadow_prediction_model_version_id_created_at_idx" ON "shadow_prediction"("model_version_id", "created_at");

-- AddForeignKey
ALTER TABLE "shadow_prediction" ADD CONSTRAINT "shadow_prediction_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shadow_prediction" ADD CONSTRAINT "shadow_prediction_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
