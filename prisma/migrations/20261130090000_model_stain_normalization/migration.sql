-- CreateEnum
CREATE TYPE "StainNormalization" AS ENUM ('none', 'reinhard');

-- AlterTable
ALTER TABLE "model_version" ADD COLUMN     "stain_normalization" "StainNormalization" NOT NULL DEFAULT 'none';
