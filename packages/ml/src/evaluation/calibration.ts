import { argmax } from "./metrics.js";

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean top-class probability of the bin's images. */
  confidence: number;
  /** Fraction of the bin's images whose top class is right. */
  accuracy: number;
}

/** Top-class confidence against accuracy in equal-width confidence bins. */
export function reliabilityBins(
  probabilities: readonly ArrayLike<number>[],
  labels: readonly number[],
  bins = 15,
): ReliabilityBin[] {
  const result = Array.from({ length: bins }, (_, b): ReliabilityBin => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  probabilities.forEach((row, i) => {
    const top = argmax(row);
    const confidence = row[top]!;
    const bin = result[Math.min(bins - 1, Math.floor(confidence * bins))]!;
    bin.count++;
    bin.confidence += confidence;
    bin.accuracy += top === labels[i] ? 1 : 0;
  });
  for (const bin of result)
    if (bin.count > 0) {
      bin.confidence /= bin.count;
      bin.accuracy /= bin.count;
    }
  return result;
}

/** ECE: the image-weighted mean |accuracy − confidence| over reliability bins. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((sum, bin) => sum + bin.count, 0);
  return bins.reduce((sum, bin) => sum + (bin.count / total) * Math.abs(bin.accuracy - bin.confidence), 0);
}
