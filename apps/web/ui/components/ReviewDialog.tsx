import { useEffect, useRef, useState, type FormEvent } from "react";
import type { IngestApiClient } from "@leukoflow/api-client";
import type { ReportImage, ReviewDecision } from "../api/types.js";
import { className, classPresentation, percent } from "../report/labels.js";
import { ErrorNote } from "./ErrorNote.js";
import { SegmentationView } from "./SegmentationView.js";
import { Tag } from "./Tag.js";

/**
 * Confirm an image's predicted label or override it with a reason. A native modal <dialog>: it
 * keeps focus inside while open, closes on Escape and hands focus back to the Review button.
 */
export function ReviewDialog({
  api,
  image,
  onClose,
  onReviewed,
}: {
  api: IngestApiClient;
  image: ReportImage;
  onClose: () => void;
  onReviewed: () => void;
}) {
  const prediction = image.prediction!;
  const alternatives = Object.keys(prediction.probabilities).filter((label) => label !== prediction.label);
  const dialog = useRef<HTMLDialogElement>(null);
  const [decision, setDecision] = useState<ReviewDecision>("CONFIRMED");
  const [label, setLabel] = useState(alternatives[0] ?? "");
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => dialog.current?.showModal(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const trimmed = reason.trim();
      await api.review(
        image.id,
        decision === "CONFIRMED"
          ? { decision, ...(trimmed ? { reason: trimmed } : {}) }
          : { decision, label, reason: trimmed },
      );
      dialog.current?.close();
      onReviewed();
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby="review-title" className="review-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <h2 id="review-title">Review {image.originalName ?? image.id}</h2>
        <p>
          Model says{" "}
          <Tag
            presentation={classPresentation(prediction.label, prediction.malignantClasses)}
            detail={percent(prediction.confidence)}
          />
        </p>
        <ul className="probabilities" aria-label="Class probabilities">
          {Object.entries(prediction.probabilities).map(([option, probability]) => (
            <li key={option}>
              {className(option)}: {percent(probability)}
            </li>
          ))}
        </ul>
        <SegmentationView api={api} imageId={image.id} name={image.originalName ?? image.id} />
        <fieldset>
          <legend>Decision</legend>
          <label>
            <input
              type="radio"
              name="decision"
              checked={decision === "CONFIRMED"}
              onChange={() => setDecision("CONFIRMED")}
              autoFocus
            />
            Confirm {className(prediction.label)}
          </label>
          <label>
            <input
              type="radio"
              name="decision"
              checked={decision === "OVERRIDDEN"}
              onChange={() => setDecision("OVERRIDDEN")}
            />
            Override the label
          </label>
        </fieldset>
        {decision === "OVERRIDDEN" ? (
          <label className="field">
            Correct label
            <select value={label} onChange={(event) => setLabel(event.target.value)}>
              {alternatives.map((option) => (
                <option key={option} value={option}>
                  {className(option)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          Reason {decision === "OVERRIDDEN" ? "(required)" : "(optional)"}
          <textarea
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            required={decision === "OVERRIDDEN"}
            rows={3}
            maxLength={1000}
          />
        </label>
        <ErrorNote error={error} />
        <div className="actions">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving}>
            {saving ? "Saving…" : "Save review"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
