import { svgDocument, toPlot, unitAxes } from "./svg-chart.js";

/** ROC curve with the chance diagonal; `points` are [false-positive rate, true-positive rate]. */
export function rocCurveSvg(points: readonly [number, number][], auc: number, title: string): string {
  const path = points
    .map(
      ([fpr, tpr], i) =>
        `${i === 0 ? "M" : "L"}${toPlot(fpr, tpr)
          .map((v) => v.toFixed(1))
          .join(" ")}`,
    )
    .join(" ");
  const [x0, y0] = toPlot(0, 0),
    [x1, y1] = toPlot(1, 1);
  const [labelX, labelY] = toPlot(0.55, 0.1);
  return svgDocument(
    title,
    unitAxes("1 − specificity (false-positive rate)", "sensitivity (true-positive rate)") +
      `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#999" stroke-dasharray="4 4"/>` +
      `<path d="${path}" fill="none" stroke="#c62828" stroke-width="2"/>` +
      `<text x="${labelX}" y="${labelY}" font-size="13">AUC ${auc.toFixed(4)}</text>`,
  );
}
