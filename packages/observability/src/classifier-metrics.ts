import type { PipelineMetrics } from "./pipeline-metrics.js";

interface BatchClassifier<I, O> {
  predict(batch: I[]): Promise<O>;
  dispose(): void;
}

/** The same classifier, recording each call's batch size and latency. */
export function observeClassifier<I, O, C extends BatchClassifier<I, O>>(metrics: PipelineMetrics, classifier: C): C {
  return {
    ...classifier,
    predict: async (batch: I[]) => {
      metrics.batchSize.observe(batch.length);
      const stop = metrics.inferenceLatency.startTimer();
      try {
        return await classifier.predict(batch);
      } finally {
        stop();
      }
    },
    dispose: () => classifier.dispose(),
  };
}
