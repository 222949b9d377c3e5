import type { ReliabilityBin } from "../calibration.js";
import { PLOT, svgDocument, toPlot, unitAxes } from "./svg-chart.js";

/** Reliability diagram: accuracy per confidence bin as bars against the diagonal of perfect calibration. */
export function reliabilityDiagramSvg(bins: readonly ReliabilityBin[], ece: number, title: string): string {
  const bars = bins
    .filter((bin) => bin.count > 0)
    .map((bin) => {
      const [x, y] = toPlot(bin.lower, bin.accuracy);
      const width = (bin.upper - bin.lower) * PLOT.side;
      return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" height="${(PLOT.top + PLOT.side - y).toFixed(1)}" fill="#1e88e5" fill-opacity="0.75" stroke="white"/>`;
    })
    .join("");
  const [x0, y0] = toPlot(0, 0),
    [x1, y1] = toPlot(1, 1);
  const [labelX, labelY] = toPlot(0.05, 0.92);
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  return svgDocument(
    title,
    unitAxes("confidence (top-class probability)", "accuracy") +
      bars +
      `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y1}" stroke="#999" stroke-dasharray="4 4"/>` +
      `<text x="${labelX}" y="${labelY}" font-size="13">ECE ${ece.toFixed(4)} (${total} images)</text>`,
  );
}
