import { useEffect, useState } from "react";
import type { IngestApiClient } from "@leukoflow/api-client";
import type { CellList } from "../api/types.js";
import { AuthedImage } from "./AuthedImage.js";

/** The leukocytes the preprocessing found: the overlay (cells green, boxes red) and each cell's crop. Made on first opening. */
export function SegmentationView({ api, imageId, name }: { api: IngestApiClient; imageId: string; name: string }) {
  const [cells, setCells] = useState<CellList["cells"] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    api.cells(imageId).then(
      (list) => !cancelled && setCells(list.cells),
      () => !cancelled && setFailed(true),
    );
    return () => {
      cancelled = true;
    };
  }, [api, imageId]);
  return (
    <section className="segmentation" aria-label="Segmentation">
      <AuthedImage
        api={api}
        path={`/v1/images/${imageId}/overlay`}
        alt={`Segmentation overlay of ${name}`}
        className="segmentation-overlay"
      />
      {failed ? <p className="image-missing">No cells</p> : null}
      {cells === null && !failed ? <p className="image-loading">Finding cells…</p> : null}
      {cells ? (
        <ul className="cells" aria-label={`${cells.length} cell(s)`}>
          {cells.map((cell, index) => (
            <li key={cell.url}>
              <AuthedImage api={api} path={cell.url} alt={`Cell ${index + 1} of ${name}`} />
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
