import type { SpecimenReport } from "../api/types.js";
import { finalLabel, reviewedMalignantFraction } from "../report/flags.js";
import { CALLS, className, classPresentation, percent } from "../report/labels.js";
import { Tag } from "./Tag.js";

/** The specimen's call with the counts behind it, as the model made them and as reviewed. */
export function VerdictPanel({ report }: { report: SpecimenReport }) {
  const { summary } = report;
  if (!summary)
    return (
      <section className="verdict" aria-label="Verdict">
        <p>No verdict until every image is processed.</p>
      </section>
    );
  const labels = [
    ...new Set([
      ...Object.keys(summary.countsByLabel),
      ...report.images.flatMap((image) => Object.keys(image.prediction?.probabilities ?? {})),
    ]),
  ].sort();
  // Summaries written before they carried the malignant classes: the images' model version says.
  const malignantClasses =
    summary.malignantClasses ?? report.images.find((image) => image.prediction)?.prediction?.malignantClasses ?? [];
  const reviewedCount = (label: string) => report.images.filter((image) => finalLabel(image) === label).length;
  return (
    <section className="verdict" aria-labelledby="verdict-title">
      <h2 id="verdict-title">
        Verdict: <Tag presentation={CALLS[summary.call]} />
      </h2>
      <p>
        Malignant fraction {percent(summary.malignantFraction)} (as reviewed{" "}
        {percent(reviewedMalignantFraction(report, malignantClasses))})
        {summary.dominantSubtype ? `, mostly ${className(summary.dominantSubtype)}` : ""}; {summary.classifiedCount} of{" "}
        {summary.imageCount} images classified
        {summary.failedCount ? `, ${summary.failedCount} failed` : ""}. Decision support only: a technologist confirms
        every result.
      </p>
      {summary.thresholds && summary.meanMalignantProbability !== undefined ? (
        <p className="operating-point">
          Mean P(malignant) {percent(summary.meanMalignantProbability)} against the specimen threshold{" "}
          {percent(summary.thresholds.specimen)}; an image is called malignant at P(malignant) ≥{" "}
          {percent(summary.thresholds.image)}.
        </p>
      ) : null}
      <table className="counts">
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Model</th>
            <th scope="col">After review</th>
          </tr>
        </thead>
        <tbody>
          {labels.map((label) => (
            <tr key={label}>
              <th scope="row">
                <Tag presentation={classPresentation(label, malignantClasses)} />
              </th>
              <td>{summary.countsByLabel[label] ?? 0}</td>
              <td>{reviewedCount(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
