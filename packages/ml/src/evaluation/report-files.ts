import { writeFile } from "node:fs/promises";
import path from "node:path";
import { confusionMatrixSvg } from "./charts/confusion-matrix-chart.js";
import { reliabilityDiagramSvg } from "./charts/reliability-chart.js";
import { rocCurveSvg } from "./charts/roc-chart.js";
import { svgToPng } from "./charts/svg-chart.js";
import type { Evaluation, EvaluationCurves } from "./evaluation.js";

export const REPORT_FILES = {
  json: "report.json",
  markdown: "report.md",
  confusion: "confusion-matrix.png",
  roc: "roc-curve.png",
  reliability: "reliability-diagram.png",
} as const;

/** Writes the confusion matrix, malignant ROC curve and reliability diagram of an evaluation as PNGs. */
export async function writeEvaluationCharts(
  dir: string,
  name: string,
  evaluation: Evaluation,
  curves: EvaluationCurves,
): Promise<void> {
  const charts: [string, string][] = [
    [
      REPORT_FILES.confusion,
      confusionMatrixSvg(evaluation.confusion, evaluation.classes, `${name}: confusion (n = ${evaluation.n})`),
    ],
    [REPORT_FILES.roc, rocCurveSvg(curves.roc, evaluation.malignant.auc, `${name}: malignant vs benign ROC`)],
    [
      REPORT_FILES.reliability,
      reliabilityDiagramSvg(curves.reliability, evaluation.ece, `${name}: reliability (calibrated)`),
    ],
  ];
  await Promise.all(charts.map(async ([file, svg]) => writeFile(path.join(dir, file), await svgToPng(svg))));
}
