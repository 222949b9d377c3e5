import { useCallback, useState, type FormEvent } from "react";
import type { IngestApiClient } from "@leukoflow/api-client";
import type { SpecimenProgress } from "@leukoflow/contracts";
import type { Specimen, SpecimenStatus } from "../api/types.js";
import { ErrorNote } from "../components/ErrorNote.js";
import { ProgressBar } from "../components/ProgressBar.js";
import { Tag } from "../components/Tag.js";
import { listFlags } from "../report/flags.js";
import { CALLS, SPECIMEN_STATUSES } from "../report/labels.js";
import { useLabProgress } from "../report/use-lab-progress.js";
import { routeHref } from "../routes.js";

function SpecimenRow({ specimen, progress }: { specimen: Specimen; progress: SpecimenProgress | undefined }) {
  const status = progress?.status ?? specimen.status;
  const summary = progress?.summary ?? specimen.summary;
  const flags = listFlags(summary);
  return (
    <tr>
      <th scope="row">
        <a href={routeHref({ page: "report", specimenId: specimen.id })}>{specimen.accession}</a>
      </th>
      <td className="optional">{specimen.patientRef ?? "—"}</td>
      <td>
        <Tag presentation={SPECIMEN_STATUSES[status]} />
      </td>
      <td>
        {progress ? (
          <ProgressBar
            done={progress.images.CLASSIFIED + progress.images.FAILED}
            total={progress.images.total}
            label={`Images processed for ${specimen.accession}`}
          />
        ) : summary ? (
          <ProgressBar
            done={summary.classifiedCount + summary.failedCount}
            total={summary.imageCount}
            label={`Images processed for ${specimen.accession}`}
          />
        ) : (
          "—"
        )}
      </td>
      <td>{summary ? <Tag presentation={CALLS[summary.call]} /> : "—"}</td>
      <td>
        {flags.length > 0
          ? flags.map((flag) => (
              <span key={flag.id} className="flag">
                <span aria-hidden="true">⚑ </span>
                {flag.text}
              </span>
            ))
          : "—"}
      </td>
      <td className="optional">{new Date(specimen.createdAt).toLocaleString()}</td>
    </tr>
  );
}

/** The lab's specimens, newest first, searchable by accession and filterable by status. */
export function SpecimensPage({ api }: { api: IngestApiClient }) {
  const [accession, setAccession] = useState("");
  const [status, setStatus] = useState<SpecimenStatus | "">("");
  const [specimens, setSpecimens] = useState<Specimen[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (cursor: string | null) => {
      setError(null);
      try {
        const page = await api.listSpecimens({
          accession: accession.trim() || undefined,
          status: status || undefined,
          cursor: cursor ?? undefined,
        });
        setSpecimens((current) => (cursor ? [...current, ...page.items] : page.items));
        setNextCursor(page.nextCursor);
      } catch (failure) {
        setError(failure);
      }
    },
    [api, accession, status],
  );

  // The first read runs once the lab's stream follows (so no change falls between); later ones when the search form is submitted.
  const progress = useLabProgress(api, () => void load(null));

  const search = (event: FormEvent) => {
    event.preventDefault();
    void load(null);
  };
  return (
    <>
      <h1>Specimens</h1>
      <form className="search" onSubmit={search} role="search">
        <label className="field">
          Accession
          <input
            type="search"
            value={accession}
            onChange={(event) => setAccession(event.target.value)}
            placeholder="exact match"
          />
        </label>
        <label className="field">
          Status
          <select value={status} onChange={(event) => setStatus(event.target.value as SpecimenStatus | "")}>
            <option value="">Any</option>
            {Object.entries(SPECIMEN_STATUSES).map(([value, presentation]) => (
              <option key={value} value={value}>
                {presentation.text}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      {specimens.length === 0 && !error ? <p>No specimens match.</p> : null}
      {specimens.length > 0 ? (
        <div className="table-scroll">
          <table className="specimens">
            <thead>
              <tr>
                <th scope="col">Accession</th>
                <th scope="col" className="optional">
                  Patient ref
                </th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Verdict</th>
                <th scope="col">Flags</th>
                <th scope="col" className="optional">
                  Registered
                </th>
              </tr>
            </thead>
            <tbody>
              {specimens.map((specimen) => (
                <SpecimenRow key={specimen.id} specimen={specimen} progress={progress.get(specimen.id)} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {nextCursor ? (
        <button type="button" onClick={() => void load(nextCursor)}>
          Load more
        </button>
      ) : null}
    </>
  );
}
