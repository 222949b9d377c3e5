import type { IngestApiClient } from "@leukoflow/api-client";
import type { ReportImage } from "../api/types.js";
import { flagText, imageFlags } from "../report/flags.js";
import { className, classPresentation, IMAGE_STATUSES, percent } from "../report/labels.js";
import { AuthedImage } from "./AuthedImage.js";
import { Tag } from "./Tag.js";

function ReviewNote({ image }: { image: ReportImage }) {
  const review = image.review;
  if (!review) return <p className="review-note pending">Not reviewed</p>;
  const reason = review.reason ? `: “${review.reason}”` : "";
  return review.decision === "CONFIRMED" ? (
    <p className="review-note confirmed">
      <span aria-hidden="true">✓ </span>Confirmed by {review.reviewer}
      {reason}
    </p>
  ) : (
    <p className="review-note overridden">
      <span aria-hidden="true">✎ </span>Overridden to {className(review.label)} by {review.reviewer}
      {reason}
    </p>
  );
}

/** One image of a report: preview (with its Grad-CAM overlay when asked), prediction, flags and review. */
export function ImageCard({
  api,
  image,
  showGradcam,
  onReview,
}: {
  api: IngestApiClient;
  image: ReportImage;
  showGradcam: boolean;
  onReview: () => void;
}) {
  const { prediction } = image;
  const name = image.originalName ?? image.id;
  const preview = image.status === "RECEIVED" ? "original" : "preprocessed";
  return (
    <li className="card" data-image-id={image.id}>
      <div className="thumb">
        <AuthedImage api={api} path={`/v1/images/${image.id}/${preview}`} alt={`Image ${name}`} />
        {showGradcam && prediction?.gradcamUrl ? (
          <AuthedImage api={api} path={prediction.gradcamUrl} alt={`Grad-CAM overlay of ${name}`} className="overlay" />
        ) : null}
      </div>
      <div className="card-body">
        <span className="file-name" title={name}>
          {name}
        </span>
        {prediction ? (
          <>
            <Tag
              presentation={classPresentation(prediction.label, prediction.malignantClasses)}
              detail={percent(prediction.confidence)}
            />
            <span className="malignant-probability">
              P(malignant) {percent(prediction.malignantProbability)}, threshold{" "}
              {percent(prediction.malignantThreshold)}
            </span>
          </>
        ) : (
          <Tag presentation={IMAGE_STATUSES[image.status]} detail={image.failureReason ?? undefined} />
        )}
        {imageFlags(image).map((flag) => (
          <span key={flag} className="flag">
            <span aria-hidden="true">⚑ </span>
            {flagText(flag)}
          </span>
        ))}
        {prediction ? <ReviewNote image={image} /> : null}
        {prediction ? (
          <button type="button" onClick={onReview} aria-label={`Review ${name}`}>
            Review
          </button>
        ) : null}
      </div>
    </li>
  );
}
