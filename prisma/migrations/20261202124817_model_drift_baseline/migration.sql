-- AlterTable: what the model's outputs look like on its monitor blocks (`leukoflow models baseline`).
ALTER TABLE "model_version" ADD COLUMN     "drift_baseline" JSONB;

-- CreateIndex: the drift gauges read a rolling window of predictions.
CREATE INDEX "prediction_created_at_idx" ON "prediction"("created_at");
