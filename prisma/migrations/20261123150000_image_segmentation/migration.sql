-- AlterTable
ALTER TABLE "image" ADD COLUMN     "segmentation" JSONB;
