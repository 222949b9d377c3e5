-- AlterTable
ALTER TABLE "image" ADD COLUMN     "input_size" INTEGER,
ADD COLUMN     "stain_normalization" "StainNormalization",
ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 0;

-- Images preprocessed before this migration: their recipe is in the key,
-- labs/<lab>/preprocessed/v<version>-<size>[-letterbox][-reinhard]/<sha256>.png
UPDATE "image"
SET "input_size" = substring("preprocessed_key" from '/preprocessed/v[0-9]+-([0-9]+)')::INTEGER,
    "stain_normalization" = CASE WHEN "preprocessed_key" ~ '/preprocessed/[^/]*-reinhard/' THEN 'reinhard'::"StainNormalization" ELSE 'none'::"StainNormalization" END
WHERE "preprocessed_key" IS NOT NULL;
