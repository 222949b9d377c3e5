-- AlterTable
ALTER TABLE "prediction" ADD COLUMN     "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "members" JSONB,
ADD COLUMN     "ood_score" DOUBLE PRECISION;

-- CreateTable
CREATE TABLE "ensemble_member" (
    "ensemble_id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "ensemble_member_pkey" PRIMARY KEY ("ensemble_id","member_id")
);

-- CreateIndex
CREATE INDEX "ensemble_member_member_id_idx" ON "ensemble_member"("member_id");

-- AddForeignKey
ALTER TABLE "ensemble_member" ADD CONSTRAINT "ensemble_member_ensemble_id_fkey" FOREIGN KEY ("ensemble_id") REFERENCES "model_version"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ensemble_member" ADD CONSTRAINT "ensemble_member_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
