-- AlterTable
ALTER TABLE "model_version" ADD COLUMN     "operating_point" JSONB;

-- AlterTable
ALTER TABLE "prediction" ADD COLUMN     "malignant_probability" DOUBLE PRECISION;

-- Predictions made before this migration: P(malignant) is the sum of the three ALL subtypes' probabilities.
UPDATE "prediction"
SET "malignant_probability" = LEAST(1, COALESCE(("probabilities"->>'early_pre_b')::DOUBLE PRECISION, 0)
  + COALESCE(("probabilities"->>'pre_b')::DOUBLE PRECISION, 0)
  + COALESCE(("probabilities"->>'pro_b')::DOUBLE PRECISION, 0));

ALTER TABLE "prediction" ALTER COLUMN "malignant_probability" SET NOT NULL;
