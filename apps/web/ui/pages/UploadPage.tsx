import { useState, type DragEvent, type FormEvent } from "react";
import { IngestApiError, type IngestApiClient } from "@leukoflow/api-client";
import type { Specimen } from "../api/types.js";
import { ErrorNote } from "../components/ErrorNote.js";
import { filesFromDrop, filesFromInput } from "../upload/collect-files.js";
import { UploadTable } from "../upload/UploadTable.js";
import { useUploads } from "../upload/use-uploads.js";
import { routeHref } from "../routes.js";

/** Registers the specimen, or finds it when the accession is already registered. */
async function openSpecimen(api: IngestApiClient, accession: string, patientRef: string): Promise<Specimen> {
  try {
    return await api.createSpecimen({ accession, ...(patientRef ? { patientRef } : {}) });
  } catch (error) {
    if (!(error instanceof IngestApiError) || error.status !== 409) throw error;
    const { items } = await api.listSpecimens({ accession });
    if (!items[0]) throw error;
    return items[0];
  }
}

/** Upload: pick or register a specimen, then drop files or folders onto it. */
export function UploadPage({ api }: { api: IngestApiClient }) {
  const [accession, setAccession] = useState("");
  const [patientRef, setPatientRef] = useState("");
  const [specimen, setSpecimen] = useState<Specimen | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dragging, setDragging] = useState(false);
  const { uploads, add } = useUploads(api.apiKey, specimen?.id ?? null);

  const open = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setSpecimen(await openSpecimen(api, accession.trim(), patientRef.trim()));
    } catch (failure) {
      setError(failure);
    }
  };
  const drop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    add(await filesFromDrop(event.dataTransfer));
  };

  return (
    <>
      <h1>Upload images</h1>
      <form className="search" onSubmit={(event) => void open(event)}>
        <label className="field">
          Accession
          <input
            value={accession}
            onChange={(event) => setAccession(event.target.value)}
            required
            maxLength={100}
            disabled={specimen !== null}
          />
        </label>
        <label className="field">
          Patient ref (pseudonymous, optional)
          <input
            value={patientRef}
            onChange={(event) => setPatientRef(event.target.value)}
            maxLength={100}
            disabled={specimen !== null}
          />
        </label>
        {specimen ? (
          <button type="button" onClick={() => setSpecimen(null)}>
            Change specimen
          </button>
        ) : (
          <button type="submit" className="primary">
            Open specimen
          </button>
        )}
      </form>
      <ErrorNote error={error} />
      {specimen ? (
        <>
          <p>
            Uploading to <strong>{specimen.accession}</strong>.{" "}
            <a href={routeHref({ page: "report", specimenId: specimen.id })}>Open its report</a>
          </p>
          <div
            className={`drop-zone${dragging ? " dragging" : ""}`}
            onDragOver={(event) => {
              event.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(event) => void drop(event)}
            data-testid="drop-zone"
          >
            <p>Drop images or folders here, or</p>
            <label className="button">
              Choose files
              <input
                type="file"
                multiple
                accept="image/*"
                className="visually-hidden"
                onChange={(event) => event.target.files && add(filesFromInput(event.target.files))}
              />
            </label>
            <label className="button">
              Choose a folder
              {/* webkitdirectory is not in React's typings; it picks a whole folder in every current browser. */}
              <input
                type="file"
                multiple
                className="visually-hidden"
                {...{ webkitdirectory: "" }}
                onChange={(event) => event.target.files && add(filesFromInput(event.target.files))}
              />
            </label>
          </div>
          <UploadTable uploads={uploads} />
        </>
      ) : null}
    </>
  );
}
