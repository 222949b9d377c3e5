import { useEffect, useState } from "react";
import { isMalignantClass, type ReviewQueue } from "@leukoflow/contracts";
import type { IngestApiClient } from "@leukoflow/api-client";
import { ErrorNote } from "../components/ErrorNote.js";
import { Tag } from "../components/Tag.js";
import { flagText } from "../report/flags.js";
import { classPresentation } from "../report/labels.js";
import { routeHref } from "../routes.js";

/**
 * The lab's unreviewed images, what teaches the next model most first; each links to its specimen's
 * report to review it there. With `disagreesWith`, the images a version in shadow labels differently:
 * its label is shown beside the result to decide who is right, never as a result.
 */
export function ReviewQueuePage({ api, disagreesWith }: { api: IngestApiClient; disagreesWith?: string }) {
  const [queue, setQueue] = useState<ReviewQueue | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api.reviewQueue(disagreesWith).then(setQueue, setError);
  }, [api, disagreesWith]);

  const items = queue?.items;
  const shadow = queue?.shadow;
  return (
    <>
      <h1>{disagreesWith ? `Disagreements with ${disagreesWith}` : "Review queue"}</h1>
      {disagreesWith ? (
        <p>
          Unreviewed images where {disagreesWith}, a model in shadow, labels differently from the result you see;
          changes of the malignant call first. Its label is not a result: review each image in its report to settle
          which is right. <a href={routeHref({ page: "review-queue" })}>Back to the review queue</a>
        </p>
      ) : (
        <p>
          Unreviewed images, those that teach the next model most first: unlike the training images, then where the
          models disagree, then the least confident.
        </p>
      )}
      {!disagreesWith && shadow ? (
        <p className="shadow-note" data-testid="shadow-note">
          {shadow.model} is in shadow ({Math.round(shadow.sample * 100)} % of specimens).{" "}
          <a href={routeHref({ page: "review-queue", disagreesWith: shadow.model })}>
            Images where it disagrees with the result
          </a>
        </p>
      ) : null}
      <ErrorNote error={error} />
      {items?.length === 0 ? (
        <p>{disagreesWith ? "No unreviewed image where it disagrees." : "Every classified image has been reviewed."}</p>
      ) : null}
      {items && items.length > 0 ? (
        <div className="table-scroll">
          <table className="review-queue">
            <thead>
              <tr>
                <th scope="col">Specimen</th>
                <th scope="col">Image</th>
                <th scope="col">Model's label</th>
                <th scope="col">Confidence</th>
                {disagreesWith ? <th scope="col">Label in shadow (not a result)</th> : null}
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.imageId} data-image-id={item.imageId}>
                  <th scope="row">
                    <a href={routeHref({ page: "report", specimenId: item.specimenId })}>{item.accession}</a>
                  </th>
                  <td>{item.originalName ?? item.imageId}</td>
                  <td>
                    <Tag presentation={classPresentation(item.label, item.malignantClasses)} />
                  </td>
                  <td>{(item.confidence * 100).toFixed(1)} %</td>
                  {disagreesWith ? (
                    <td className="shadow-label">
                      {item.shadow ? (
                        <>
                          <Tag
                            presentation={classPresentation(item.shadow.label, item.shadow.malignantClasses)}
                            detail={`${(item.shadow.confidence * 100).toFixed(1)} %`}
                          />
                          {isMalignantClass(item.shadow.label, item.shadow.malignantClasses) !==
                          isMalignantClass(item.label, item.malignantClasses) ? (
                            <span className="flag">
                              <span aria-hidden="true">⚑ </span>malignant call differs
                            </span>
                          ) : null}
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                  ) : null}
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
