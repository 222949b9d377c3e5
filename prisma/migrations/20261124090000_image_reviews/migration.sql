-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('CONFIRMED', 'OVERRIDDEN');

-- AlterTable
ALTER TABLE "prediction" ADD COLUMN     "gradcam_key" TEXT;

-- CreateTable
CREATE TABLE "review" (
    "id" UUID NOT NULL,
    "lab_id" UUID NOT NULL,
    "image_id" UUID NOT NULL,
    "prediction_id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "label" TEXT NOT NULL,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "review_image_id_created_at_idx" ON "review"("image_id", "created_at");

-- CreateIndex
CREATE INDEX "review_lab_id_idx" ON "review"("lab_id");

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_prediction_id_fkey" FOREIGN KEY ("prediction_id") REFERENCES "prediction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
