-- AlterTable: the classes a model version calls malignant (leukoflow-model.json's malignantClasses),
-- the one rule every call, report and drift figure uses.
ALTER TABLE "model_version" ADD COLUMN     "malignant_classes" TEXT[];

-- Until now every version was read with the ALL subtypes as its malignant classes, whatever its
-- label set: the shipped 4-class versions get exactly those, any other the ones it has, so every
-- existing call stays what it was.
UPDATE "model_version"
SET "malignant_classes" = ARRAY(
  SELECT class FROM unnest("classes") AS class WHERE class IN ('early_pre_b', 'pre_b', 'pro_b')
);
