/**
 * Softmax of log(p)/T: the model's logits are log(p) up to a per-image constant, so this is
 * temperature scaling of a softmax output without touching the network. T > 1 softens.
 */
export function applyTemperature(probabilities: ArrayLike<number>, temperature: number): Float32Array {
  const logits = Array.from(probabilities, (p) => Math.log(Math.max(p, 1e-12)) / temperature);
  const max = Math.max(...logits);
  const exp = logits.map((z) => Math.exp(z - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return Float32Array.from(exp, (e) => e / sum);
}

function negativeLogLikelihood(
  probabilities: readonly ArrayLike<number>[],
  labels: readonly number[],
  temperature: number,
): number {
  return (
    probabilities.reduce(
      (sum, row, i) => sum - Math.log(Math.max(applyTemperature(row, temperature)[labels[i]!]!, 1e-12)),
      0,
    ) / probabilities.length
  );
}

/** The temperature minimising the negative log-likelihood of `labels` (golden-section search on log T). */
export function fitTemperature(probabilities: readonly ArrayLike<number>[], labels: readonly number[]): number {
  let low = Math.log(0.05),
    high = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  const loss = (logT: number): number => negativeLogLikelihood(probabilities, labels, Math.exp(logT));
  let a = high - ratio * (high - low),
    b = low + ratio * (high - low);
  let lossA = loss(a),
    lossB = loss(b);
  for (let i = 0; i < 60; i++) {
    if (lossA < lossB) {
      high = b;
      b = a;
      lossB = lossA;
      a = high - ratio * (high - low);
      lossA = loss(a);
    } else {
      low = a;
      a = b;
      lossA = lossB;
      b = low + ratio * (high - low);
      lossB = loss(b);
    }
  }
  return Math.exp((low + high) / 2);
}
