-- AlterTable
ALTER TABLE "lab" ADD COLUMN     "eager_review_images" BOOLEAN NOT NULL DEFAULT false;
