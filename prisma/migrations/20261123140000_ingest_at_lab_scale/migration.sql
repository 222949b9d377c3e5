-- AlterTable
ALTER TABLE "lab" ADD COLUMN     "webhook_secret" TEXT,
ADD COLUMN     "webhook_url" TEXT;

-- AlterTable
ALTER TABLE "specimen" ADD COLUMN     "completion_notified_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "direct_upload" (
    "id" UUID NOT NULL,
    "lab_id" UUID NOT NULL,
    "specimen_id" UUID NOT NULL,
    "file_name" TEXT NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "object_key" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "direct_upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_key" (
    "lab_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("lab_id","key")
);

-- CreateIndex
CREATE INDEX "direct_upload_lab_id_specimen_id_idx" ON "direct_upload"("lab_id", "specimen_id");

-- CreateIndex
CREATE INDEX "direct_upload_expires_at_idx" ON "direct_upload"("expires_at");

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "idempotency_key"("created_at");

-- CreateIndex
CREATE INDEX "specimen_completion_notified_at_completed_at_idx" ON "specimen"("completion_notified_at", "completed_at");

-- AddForeignKey
ALTER TABLE "direct_upload" ADD CONSTRAINT "direct_upload_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "direct_upload" ADD CONSTRAINT "direct_upload_specimen_id_fkey" FOREIGN KEY ("specimen_id") REFERENCES "specimen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE CASCADE ON UPDATE CASCADE;
