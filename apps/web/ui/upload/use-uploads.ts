import { useCallback, useState } from "react";
import type { PickedFile } from "./collect-files.js";
import { uploadFile, type UploadOutcome } from "./upload-file.js";

/** Uploads in flight at once: enough to keep the link busy, few enough to leave the UI responsive. */
const PARALLEL_UPLOADS = 3;

export interface FileUpload {
  id: number;
  path: string;
  size: number;
  progress: number;
  outcome: UploadOutcome | null;
}

let nextId = 0;

/** The files handed to a specimen's upload, each with its progress and, once answered, its outcome. */
export function useUploads(apiKey: string, specimenId: string | null) {
  const [uploads, setUploads] = useState<FileUpload[]>([]);

  const add = useCallback(
    (picked: PickedFile[]) => {
      if (!specimenId) return;
      const batch = picked.map(({ file, path }) => ({
        file,
        upload: { id: nextId++, path, size: file.size, progress: 0, outcome: null },
      }));
      setUploads((current) => [...current, ...batch.map(({ upload }) => upload)]);
      const update = (id: number, change: Partial<FileUpload>) =>
        setUploads((current) => current.map((upload) => (upload.id === id ? { ...upload, ...change } : upload)));
      const queue = [...batch];
      const work = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const { file, upload } = next;
          const outcome = await uploadFile(apiKey, specimenId, file, upload.path, (progress) =>
            update(upload.id, { progress }),
          );
          update(upload.id, { progress: 1, outcome });
        }
      };
      for (let i = 0; i < PARALLEL_UPLOADS; i++) void work();
    },
    [apiKey, specimenId],
  );

  return { uploads, add };
}
