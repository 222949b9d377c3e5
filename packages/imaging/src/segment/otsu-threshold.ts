/** Otsu's threshold of 8-bit values: the level maximising between-class variance; values > it are foreground. */
export function otsuThreshold(values: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const value of values) histogram[value]! += 1;
  const total = values.length;
  let weightedSum = 0;
  for (let level = 0; level < 256; level += 1) weightedSum += level * histogram[level]!;
  let backgroundCount = 0;
  let backgroundSum = 0;
  let best = 0;
  let bestVariance = -1;
  for (let level = 0; level < 256; level += 1) {
    backgroundCount += histogram[level]!;
    if (backgroundCount === 0) continue;
    const foregroundCount = total - backgroundCount;
    if (foregroundCount === 0) break;
    backgroundSum += level * histogram[level]!;
    const meanDifference = backgroundSum / backgroundCount - (weightedSum - backgroundSum) / foregroundCount;
    const variance = backgroundCount * foregroundCount * meanDifference * meanDifference;
    if (variance > bestVariance) {
      bestVariance = variance;
      best = level;
    }
  }
  return best;
}
