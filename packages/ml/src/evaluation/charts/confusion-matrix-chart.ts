import { escapeXml, svgDocument } from "./svg-chart.js";

/** Confusion matrix as a heat map: rows true class, columns predicted, shaded by row fraction. */
export function confusionMatrixSvg(confusion: readonly number[][], classes: readonly string[], title: string): string {
  const cell = Math.min(90, Math.floor(360 / classes.length));
  const left = 120,
    top = 60;
  const size = left + cell * classes.length + 20;
  const cells = confusion
    .flatMap((row, i) => {
      const total = row.reduce((a, b) => a + b, 0) || 1;
      return row.map((count, j) => {
        const share = count / total;
        const x = left + j * cell,
          y = top + i * cell;
        const shade = Math.round(255 - share * 200);
        return (
          `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="rgb(${shade},${shade},255)" stroke="white"/>` +
          `<text x="${x + cell / 2}" y="${y + cell / 2 + 5}" font-size="14" text-anchor="middle" fill="${share > 0.6 ? "white" : "black"}">${count}</text>`
        );
      });
    })
    .join("");
  const labels = classes
    .map(
      (name, k) =>
        `<text x="${left - 6}" y="${top + k * cell + cell / 2 + 4}" font-size="11" text-anchor="end">${escapeXml(name)}</text>` +
        `<text transform="translate(${left + k * cell + cell / 2} ${top - 6}) rotate(-20)" font-size="11" text-anchor="start">${escapeXml(name)}</text>`,
    )
    .join("");
  const axes =
    `<text x="${left + (cell * classes.length) / 2}" y="${top + cell * classes.length + 22}" font-size="12" text-anchor="middle">predicted</text>` +
    `<text transform="translate(14 ${top + (cell * classes.length) / 2}) rotate(-90)" font-size="12" text-anchor="middle">true</text>`;
  return svgDocument(title, cells + labels + axes, size, top + cell * classes.length + 40);
}
