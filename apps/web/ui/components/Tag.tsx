import type { Presentation } from "../report/labels.js";

/** A coloured label that always says what it means in words, with an icon as a second cue. */
export function Tag({ presentation, detail }: { presentation: Presentation; detail?: string }) {
  return (
    <span className={`tag tone-${presentation.tone}`}>
      <span aria-hidden="true">{presentation.icon}</span> {presentation.text}
      {detail ? ` · ${detail}` : ""}
    </span>
  );
}
