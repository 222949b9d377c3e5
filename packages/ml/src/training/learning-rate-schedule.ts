/** Linear warm-up to `peak`, then cosine decay to `peak · floor` at the last step. */
export function warmupCosineLearningRate(
  step: number,
  totalSteps: number,
  warmupSteps: number,
  peak: number,
  floor = 0.02,
): number {
  if (step < warmupSteps) return (peak * (step + 1)) / warmupSteps;
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return peak * (floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
