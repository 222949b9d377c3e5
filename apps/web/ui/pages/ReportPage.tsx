import { useState } from "react";
import type { IngestApiClient } from "@leukoflow/api-client";
import type { ReportImage } from "../api/types.js";
import { saveBlob } from "../components/download.js";
import { ErrorNote } from "../components/ErrorNote.js";
import { ImageCard } from "../components/ImageCard.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { ReviewDialog } from "../components/ReviewDialog.js";
import { Tag } from "../components/Tag.js";
import { VerdictPanel } from "../components/VerdictPanel.js";
import { reportCsv } from "../report/csv.js";
import { reportFlags } from "../report/flags.js";
import { SPECIMEN_STATUSES } from "../report/labels.js";
import { useLiveReport } from "../report/use-live-report.js";

/** A specimen's report: live progress, verdict, review flags, the image grid with review, and exports. */
export function ReportPage({ api, specimenId }: { api: IngestApiClient; specimenId: string }) {
  const { report, progress, live, error, reload } = useLiveReport(api, specimenId);
  const [showGradcam, setShowGradcam] = useState(false);
  const [reviewing, setReviewing] = useState<ReportImage | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);

  if (!report) return error ? <ErrorNote error={error} /> : <p>Loading report…</p>;
  const flags = reportFlags(report);
  const hasGradcam = report.images.some((image) => image.prediction?.gradcamUrl);
  const exportFhir = () =>
    api
      .blob(`/v1/specimens/${report.id}/fhir`)
      .then((blob) => saveBlob(blob, `${report.accession}.fhir.json`), setExportError);
  const processed = progress ? progress.images.CLASSIFIED + progress.images.FAILED : 0;

  return (
    <>
      <h1>
        Specimen {report.accession} <Tag presentation={SPECIMEN_STATUSES[report.status]} />
      </h1>
      {report.patientRef ? <p>Patient ref {report.patientRef}</p> : null}
      <ErrorNote error={error} />
      {progress && live ? (
        <p className="live" role="status">
          <span aria-hidden="true">◐ </span>Live:{" "}
          <ProgressBar done={processed} total={progress.images.total} label="Images processed" /> images processed
        </p>
      ) : null}
      <VerdictPanel report={report} />
      <section aria-labelledby="flags-title">
        <h2 id="flags-title">Review flags</h2>
        {flags.length > 0 ? (
          <ul className="flags">
            {flags.map((flag) => (
              <li key={flag.id} className="flag" data-flag={flag.id}>
                <span aria-hidden="true">⚑ </span>
                {flag.text}
              </li>
            ))}
          </ul>
        ) : (
          <p>None: every classified image is reviewed.</p>
        )}
      </section>
      <div className="toolbar">
        <button
          type="button"
          onClick={() => saveBlob(new Blob([reportCsv(report)], { type: "text/csv" }), `${report.accession}.csv`)}
        >
          Export CSV
        </button>
        <button type="button" onClick={() => void exportFhir()}>
          Export FHIR JSON
        </button>
        {hasGradcam ? (
          <label className="toggle">
            <input type="checkbox" checked={showGradcam} onChange={(event) => setShowGradcam(event.target.checked)} />
            Show Grad-CAM overlays
          </label>
        ) : null}
      </div>
      <ErrorNote error={exportError} />
      <h2>Images ({report.images.length})</h2>
      <ul className="grid" aria-label="Images">
        {report.images.map((image) => (
          <ImageCard
            key={image.id}
            api={api}
            image={image}
            showGradcam={showGradcam}
            onReview={() => setReviewing(image)}
          />
        ))}
      </ul>
      {reviewing ? (
        <ReviewDialog api={api} image={reviewing} onClose={() => setReviewing(null)} onReviewed={() => void reload()} />
      ) : null}
    </>
  );
}
