import type { UploadProblem } from "../api/types.js";

export type UploadOutcome = { state: "accepted"; duplicate: boolean } | { state: "rejected"; reason: string };

function rejectionReason(status: number, body: string): string {
  try {
    const problem = JSON.parse(body) as UploadProblem;
    return problem.rejected?.[0]?.detail ?? problem.detail ?? problem.title;
  } catch {
    return `HTTP ${status}`;
  }
}

/**
 * Uploads one file as its own multipart request, so each file has its own progress and its own
 * verdict. XMLHttpRequest, because fetch cannot report upload progress.
 */
export function uploadFile(
  apiKey: string,
  specimenId: string,
  file: File,
  name: string,
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/v1/specimens/${specimenId}/images`);
    request.setRequestHeader("authorization", `Bearer ${apiKey}`);
    request.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    request.onload = () => {
      if (request.status === 201) {
        const { accepted } = JSON.parse(request.responseText) as { accepted: { duplicate: boolean }[] };
        resolve({ state: "accepted", duplicate: accepted[0]?.duplicate ?? false });
      } else {
        resolve({ state: "rejected", reason: rejectionReason(request.status, request.responseText) });
      }
    };
    request.onerror = () =>
      resolve({ state: "rejected", reason: "Network error: the upload did not reach the server" });
    const form = new FormData();
    form.append("images", file, name);
    request.send(form);
  });
}
