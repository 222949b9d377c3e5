-- The same bytes may be an image of several specimens of a lab, sharing one stored object; once per specimen.
DROP INDEX "image_lab_id_sha256_key";

-- CreateIndex
CREATE UNIQUE INDEX "image_specimen_id_sha256_key" ON "image"("specimen_id", "sha256");

-- CreateIndex
CREATE INDEX "image_lab_id_sha256_idx" ON "image"("lab_id", "sha256");

-- Images sharing an object are found by its key (the unowned-upload sweep asks by key).
CREATE INDEX "image_object_key_idx" ON "image"("object_key");
