import { useEffect, useState } from "react";
import type { ReviewQueueItem } from "@leukoflow/contracts";
import type { IngestApiClient } from "@leukoflow/api-client";
import { ErrorNote } from "../components/ErrorNote.js";
import { Tag } from "../components/Tag.js";
import { flagText } from "../report/flags.js";
import { classPresentation } from "../report/labels.js";
import { routeHref } from "../routes.js";

/** The lab's unreviewed images, what teaches the next model most first; each links to its specimen's report to review it there. */
export function ReviewQueuePage({ api }: { api: IngestApiClient }) {
  const [items, setItems] = useState<ReviewQueueItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.reviewQueue().then((queue) => setItems(queue.items), setError);
  }, [api]);

  return (
    <>
      <h1>Review queue</h1>
      <p>
        Unreviewed images, those that teach the next model most first: unlike the training images, then where the models
        disagree, then the least confident.
      </p>
      <ErrorNote error={error} />
      {items?.length === 0 ? <p>Every classified image has been reviewed.</p> : null}
      {items && items.length > 0 ? (
        <div className="table-scroll">
          <table className="review-queue">
            <thead>
              <tr>
                <th scope="col">Specimen</th>
                <th scope="col">Image</th>
                <th scope="col">Model's label</th>
                <th scope="col">Confidence</th>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.imageId}>
                  <th scope="row">
                    <a href={routeHref({ page: "report", specimenId: item.specimenId })}>{item.accession}</a>
                  </th>
                  <td>{item.originalName ?? item.imageId}</td>
                  <td>
                    <Tag presentation={classPresentation(item.label, item.malignantClasses)} />
                  </td>
                  <td>{(item.confidence * 100).toFixed(1)} %</td>
                  <td>
                    {item.flags.length > 0
                      ? item.flags.map((flag) => (
                          <span key={flag} className="flag">
                            <span aria-hidden="true">⚑ </span>
                            {flagText(flag)}
                          </span>
                        ))
                      : "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
