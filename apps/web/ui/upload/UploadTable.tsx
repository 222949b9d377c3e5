import type { FileUpload } from "./use-uploads.js";

function Outcome({ upload }: { upload: FileUpload }) {
  const { outcome } = upload;
  if (!outcome)
    return (
      <span className="tag tone-busy">
        <span aria-hidden="true">◐ </span>Uploading {Math.round(upload.progress * 100)}%
      </span>
    );
  if (outcome.state === "rejected")
    return (
      <span className="tag tone-alert">
        <span aria-hidden="true">✕ </span>Rejected: {outcome.reason}
      </span>
    );
  return (
    <span className="tag tone-ok">
      <span aria-hidden="true">✓ </span>
      {outcome.duplicate ? "Accepted (already uploaded)" : "Accepted"}
    </span>
  );
}

/** Each file handed to the upload, with its progress and what the server made of it. */
export function UploadTable({ uploads }: { uploads: FileUpload[] }) {
  if (uploads.length === 0) return null;
  const done = uploads.filter((upload) => upload.outcome).length;
  const rejected = uploads.filter((upload) => upload.outcome?.state === "rejected").length;
  return (
    <>
      <p role="status">
        {done} of {uploads.length} file(s) answered, {rejected} rejected
      </p>
      <div className="table-scroll">
        <table className="uploads">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="optional">
                Size
              </th>
              <th scope="col">Progress</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {uploads.map((upload) => (
              <tr key={upload.id} data-file={upload.path}>
                <th scope="row">{upload.path}</th>
                <td className="optional">{(upload.size / 1024).toFixed(0)} KiB</td>
                <td>
                  <progress max={1} value={upload.progress} aria-label={`Upload progress of ${upload.path}`} />
                </td>
                <td>
                  <Outcome upload={upload} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
