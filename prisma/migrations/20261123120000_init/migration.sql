-- CreateEnum
CREATE TYPE "ApiKeyScope" AS ENUM ('READ', 'WRITE', 'ADMIN');

-- CreateEnum
CREATE TYPE "SpecimenStatus" AS ENUM ('RECEIVED', 'PROCESSING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "ImageStatus" AS ENUM ('RECEIVED', 'PREPROCESSED', 'CLASSIFIED', 'FAILED');

-- CreateTable
CREATE TABLE "lab" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lab_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "lab_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "scopes" "ApiKeyScope"[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "specimen" (
    "id" UUID NOT NULL,
    "lab_id" UUID NOT NULL,
    "accession" TEXT NOT NULL,
    "patient_ref" TEXT,
    "status" "SpecimenStatus" NOT NULL DEFAULT 'RECEIVED',
    "summary" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "specimen_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "image" (
    "id" UUID NOT NULL,
    "lab_id" UUID NOT NULL,
    "specimen_id" UUID NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "original_name" TEXT,
    "object_key" TEXT NOT NULL,
    "byte_size" INTEGER NOT NULL,
    "format" TEXT,
    "width" INTEGER,
    "height" INTEGER,
    "status" "ImageStatus" NOT NULL DEFAULT 'RECEIVED',
    "failure_reason" TEXT,
    "preprocessed_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_version" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "architecture" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "classes" TEXT[],
    "input_size" INTEGER NOT NULL,
    "metrics" JSONB,
    "artifact_uri" TEXT NOT NULL,
    "artifact_sha256" CHAR(64) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction" (
    "id" UUID NOT NULL,
    "image_id" UUID NOT NULL,
    "model_version_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "probabilities" JSONB NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "timings" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "lab_id" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "lab_slug_key" ON "lab"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_secret_hash_key" ON "api_key"("secret_hash");

-- CreateIndex
CREATE INDEX "api_key_lab_id_idx" ON "api_key"("lab_id");

-- CreateIndex
CREATE INDEX "specimen_lab_id_status_created_at_idx" ON "specimen"("lab_id", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "specimen_lab_id_accession_key" ON "specimen"("lab_id", "accession");

-- CreateIndex
CREATE INDEX "image_specimen_id_status_idx" ON "image"("specimen_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "image_lab_id_sha256_key" ON "image"("lab_id", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "model_version_name_version_key" ON "model_version"("name", "version");

-- CreateIndex
CREATE INDEX "prediction_model_version_id_idx" ON "prediction"("model_version_id");

-- CreateIndex
CREATE UNIQUE INDEX "prediction_image_id_model_version_id_key" ON "prediction"("image_id", "model_version_id");

-- CreateIndex
CREATE INDEX "audit_event_lab_id_created_at_idx" ON "audit_event"("lab_id", "created_at");

-- CreateIndex
CREATE INDEX "audit_event_entity_type_entity_id_idx" ON "audit_event"("entity_type", "entity_id");

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "specimen" ADD CONSTRAINT "specimen_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image" ADD CONSTRAINT "image_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "image" ADD CONSTRAINT "image_specimen_id_fkey" FOREIGN KEY ("specimen_id") REFERENCES "specimen"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_image_id_fkey" FOREIGN KEY ("image_id") REFERENCES "image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_version_id_fkey" FOREIGN KEY ("model_version_id") REFERENCES "model_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_lab_id_fkey" FOREIGN KEY ("lab_id") REFERENCES "lab"("id") ON DELETE SET NULL ON UPDATE CASCADE;
