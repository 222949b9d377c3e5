import path from "node:path";
import { seededRandom } from "@leukoflow/imaging";
import * as tf from "@tensorflow/tfjs";
import { augmentImage, type AugmentOptions } from "../data/augment.js";
import { shuffleInPlace } from "../data/shuffle.js";
import { DEFAULT_CLASS_BALANCE, epochOrder, lossClassWeights, type ClassBalance } from "./class-balance.js";
import { imagesToInputTensor } from "../model/input-tensor.js";
import { warmupCosineLearningRate } from "./learning-rate-schedule.js";
import { argmax, computeMetrics } from "../evaluation/metrics.js";
import { predictProbabilities } from "./predict-probabilities.js";
import { BEST_DIR, loadWeightsInto, restoreCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { saveModelFiles } from "../model/model-files.js";
import { EtaClock, formatDuration, progressBar, stderrProgress, type ProgressSink } from "./progress.js";
import { recalibrateBatchNorm } from "./recalibrate-batch-norm.js";
import type { ClassificationMetrics, InputNormalization } from "@leukoflow/contracts";

export interface LabelledImages {
  /** RGB HWC bytes, inputSize × inputSize each. */
  images: Uint8Array[];
  labels: number[];
}

export interface TrainClassifierOptions {
  model: tf.LayersModel;
  inputSize: number;
  classes: readonly string[];
  malignantClasses: readonly string[];
  normalization: InputNormalization;
  train: LabelledImages;
  /** Chooses the best epoch and stops early; keep the final test set out of it. */
  monitor: LabelledImages;
  epochs: number;
  batchSize: number;
  learningRate: number;
  warmupEpochs?: number;
  /** Epochs without a better monitor score before stopping. */
  patience: number;
  seed: number;
  augment: AugmentOptions | null;
  /** Default "loss": inverse-frequency class weights in the cross-entropy. */
  classBalance?: ClassBalance;
  /**
   * Un-augmented training images whose exact statistics replace the BN moving averages at the end
   * (a quarter as many, at most 256, before each monitor evaluation).
   */
  recalibrationImages?: number;
  /**
   * After every epoch the weights, optimizer state and history are written here (last/), and the
   * best-so-far weights after every improvement (best/).
   */
  checkpointDir?: string;
  /** Go on from the checkpoint in checkpointDir if there is one; the result is as if never stopped. */
  resume?: boolean;
  /** Checked after each epoch's checkpoint: when aborted, training stops with TrainingInterruptedError. */
  signal?: AbortSignal;
  progress?: ProgressSink;
}

/** Training stopped on request after a checkpoint; run again with resume to go on. */
export class TrainingInterruptedError extends Error {
  constructor(readonly epoch: number) {
    super(`training interrupted after epoch ${epoch}; resume from the checkpoint`);
    this.name = "TrainingInterruptedError";
  }
}

export interface EpochRecord {
  epoch: number;
  learningRate: number;
  trainLoss: number;
  /** Training-mode (batch-statistics) accuracy on augmented batches. */
  trainAccuracy: number;
  /** Monitor score with the BN moving averages as training left them, before recalibration. */
  monitorBalancedAccuracyMovingAverages: number;
  monitorLoss: number;
  monitorAccuracy: number;
  monitorBalancedAccuracy: number;
  seconds: number;
}

export interface TrainClassifierResult {
  history: EpochRecord[];
  bestEpoch: number;
  monitorMetrics: ClassificationMetrics;
  trainingSeconds: number;
}

async function evaluate(
  options: TrainClassifierOptions,
  set: LabelledImages,
): Promise<{ metrics: ClassificationMetrics; loss: number }> {
  const probabilities = await predictProbabilities(options.model, set.images, options.inputSize, options.normalization);
  const loss =
    probabilities.reduce((sum, row, i) => sum - Math.log(Math.max(1e-7, row[set.labels[i]!]!)), 0) /
    probabilities.length;
  const metrics = computeMetrics(set.labels, probabilities.map(argmax), options.classes, options.malignantClasses);
  return { metrics, loss };
}

/** Class-weighted categorical cross-entropy on softmax outputs. */
function weightedCrossEntropy(probabilities: tf.Tensor, oneHot: tf.Tensor, weights: tf.Tensor): tf.Scalar {
  const perImage = tf.neg(tf.sum(tf.mul(oneHot, tf.log(tf.clipByValue(probabilities, 1e-7, 1))), -1));
  return tf.mean(tf.mul(perImage, weights));
}

/**
 * Trains `model` in place with Adam (warm-up + cosine learning rate), class balancing, seeded
 * augmentation and early stopping on the monitor set, restores the best epoch and finally
 * recalibrates BatchNormalization statistics (see recalibrateBatchNorm): with momentum 0.99 and
 * no bias correction the moving averages of a short run still carry their 0/1 initialisation and
 * inference-mode predictions sit near chance.
 */
export async function trainClassifier(options: TrainClassifierOptions): Promise<TrainClassifierResult> {
  const { model, train, batchSize, epochs, inputSize, normalization, checkpointDir } = options;
  const progress = options.progress ?? stderrProgress();
  const classBalance = options.classBalance ?? DEFAULT_CLASS_BALANCE;
  const classWeights = lossClassWeights(classBalance, train.labels, options.classes.length);
  const stepsPerEpoch = Math.ceil(train.images.length / batchSize);
  const totalSteps = epochs * stepsPerEpoch;
  const warmupSteps = Math.round((options.warmupEpochs ?? 1) * stepsPerEpoch);
  const optimizer = tf.train.adam(options.learningRate);
  // tfjs exposes no setter; Adam reads this field on every step.
  const schedule = optimizer as unknown as { learningRate: number };
  const recalibrationSet = shuffleInPlace([...train.images], seededRandom(options.seed + 1)).slice(
    0,
    options.recalibrationImages ?? 1024,
  );
  const epochRecalibrationSet = recalibrationSet.slice(0, Math.min(256, Math.ceil(recalibrationSet.length / 4)));
  const restored =
    options.resume && checkpointDir ? await restoreCheckpoint<EpochRecord>(checkpointDir, model, optimizer) : undefined;
  const history: EpochRecord[] = restored?.history ?? [];
  let best: { epoch: number; score: number } | undefined = restored?.best;
  // Best weights of this process; a resumed run whose best epoch came before the restart reads best/.
  let bestWeights: tf.Tensor[] | undefined;
  let step = restored?.step ?? 0;
  const clock = new EtaClock(totalSteps, step);
  let stopped = restored !== undefined && restored.epoch - restored.best.epoch >= options.patience;

  progress.line(
    `training ${model.name} (${model.countParams()} params) on ${tf.getBackend()}: ${train.images.length} images, ${stepsPerEpoch} steps/epoch, class balance ${classBalance} (loss weights ${classWeights.map((w) => w.toFixed(2)).join("/")})${restored ? `; resumed after epoch ${restored.epoch}` : ""}`,
  );
  for (let epoch = (restored?.epoch ?? 0) + 1; epoch <= epochs && !stopped; epoch++) {
    const epochStart = performance.now();
    // One generator per epoch, so a resumed run draws exactly what an uninterrupted one would.
    const random = seededRandom(options.seed * 1009 + epoch);
    const order = epochOrder(classBalance, train.labels, random);
    let lossSum = 0,
      correct = 0,
      seen = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const labels = indices.map((i) => train.labels[i]!);
      // Each image gets a generator of its own, so the order the asynchronous steps finish in cannot change the draws.
      const augment = options.augment;
      const images = augment
        ? await Promise.all(
            indices.map((i) =>
              augmentImage(train.images[i]!, inputSize, seededRandom(Math.floor(random() * 2 ** 32)), augment),
            ),
          )
        : indices.map((i) => train.images[i]!);
      schedule.learningRate = warmupCosineLearningRate(step, totalSteps, warmupSteps, options.learningRate);
      const x = imagesToInputTensor(images, inputSize, normalization);
      const oneHot = tf.oneHot(tf.tensor1d(labels, "int32"), options.classes.length);
      const weights = tf.tensor1d(labels.map((label) => classWeights[label]!));
      let predicted: tf.Tensor | undefined;
      const loss = optimizer.minimize(() => {
        const probabilities = model.apply(x, { training: true }) as tf.Tensor;
        predicted = tf.keep(tf.argMax(probabilities, -1));
        return weightedCrossEntropy(probabilities, oneHot, weights);
      }, true) as tf.Scalar;
      const [lossValue, predictedLabels] = await Promise.all([loss.data(), predicted!.data()]);
      tf.dispose([x, oneHot, weights, loss, predicted!]);
      lossSum += lossValue[0]! * labels.length;
      correct += labels.filter((label, i) => label === predictedLabels[i]).length;
      seen += labels.length;
      step++;
      const msPerImage = (performance.now() - epochStart) / seen;
      progress.update(
        `${progressBar(step / totalSteps)} epoch ${epoch}/${epochs} batch ${Math.ceil((start + 1) / batchSize)}/${stepsPerEpoch} loss ${(lossSum / seen).toFixed(4)} acc ${(correct / seen).toFixed(3)} | ${msPerImage.toFixed(0)} ms/img | elapsed ${formatDuration(clock.elapsedSeconds())} ETA ${formatDuration(clock.remainingSeconds(step))}`,
        start + batchSize >= order.length,
      );
    }
    const movingAverages = await evaluate(options, options.monitor);
    // Moving averages start at mean 0 / variance 1 without bias correction and lag the weights, so
    // the monitor is judged with exact statistics (training-mode passes never read them).
    await recalibrateBatchNorm(model, epochRecalibrationSet, inputSize, normalization);
    const { metrics, loss } = await evaluate(options, options.monitor);
    const record: EpochRecord = {
      epoch,
      learningRate: schedule.learningRate,
      trainLoss: lossSum / seen,
      trainAccuracy: correct / seen,
      monitorBalancedAccuracyMovingAverages: movingAverages.metrics.balancedAccuracy,
      monitorLoss: loss,
      monitorAccuracy: metrics.accuracy,
      monitorBalancedAccuracy: metrics.balancedAccuracy,
      seconds: (performance.now() - epochStart) / 1000,
    };
    history.push(record);
    // Balanced accuracy first; the loss breaks ties between epochs that classify the same images.
    const score = metrics.balancedAccuracy - loss * 1e-3;
    const improved = best === undefined || score > best.score;
    progress.line(
      `epoch ${epoch} done in ${formatDuration(record.seconds)}: train loss ${record.trainLoss.toFixed(4)} acc ${record.trainAccuracy.toFixed(3)} | monitor balanced ${movingAverages.metrics.balancedAccuracy.toFixed(3)} with moving averages, after BN recalibration loss ${loss.toFixed(4)} acc ${metrics.accuracy.toFixed(3)} balanced ${metrics.balancedAccuracy.toFixed(3)}${improved ? " (best)" : ""}`,
    );
    if (improved) {
      best = { epoch, score };
      tf.dispose(bestWeights ?? []);
      bestWeights = model.getWeights().map((w) => w.clone());
      if (checkpointDir) await saveModelFiles(model, path.join(checkpointDir, BEST_DIR));
    } else if (epoch - best!.epoch >= options.patience) {
      progress.line(`early stop: no monitor improvement for ${options.patience} epochs`);
      stopped = true;
    }
    if (checkpointDir) await saveCheckpoint(checkpointDir, model, optimizer, { epoch, step, history, best: best! });
    if (options.signal?.aborted && !stopped && epoch < epochs) {
      tf.dispose(bestWeights ?? []);
      optimizer.dispose();
      throw new TrainingInterruptedError(epoch);
    }
  }
  if (bestWeights) {
    model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  } else if (checkpointDir && best) await loadWeightsInto(model, path.join(checkpointDir, BEST_DIR));
  optimizer.dispose();

  await recalibrateBatchNorm(model, recalibrationSet, inputSize, normalization);
  const final = await evaluate(options, options.monitor);
  progress.line(
    `best epoch ${best!.epoch}; monitor balanced accuracy after BN recalibration on ${recalibrationSet.length} images ${final.metrics.balancedAccuracy.toFixed(3)}`,
  );
  return {
    history,
    bestEpoch: best!.epoch,
    monitorMetrics: final.metrics,
    trainingSeconds:
      clock.elapsedSeconds() + (restored ? history.slice(0, restored.epoch).reduce((sum, h) => sum + h.seconds, 0) : 0),
  };
}
