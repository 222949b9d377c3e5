import { describe, expect, it } from "vitest";
import { observeClassifier } from "./classifier-metrics.js";
import { createPipelineMetrics } from "./pipeline-metrics.js";

describe("observeClassifier", () => {
  it("records each call's batch size and latency, and passes results, failures and dispose through", async () => {
    const metrics = createPipelineMetrics("test");
    let disposed = false;
    const classifier = observeClassifier(metrics, {
      predict: async (batch: number[]) => {
        if (batch.length === 0) throw new Error("empty batch");
        return batch.map((value) => value * 2);
      },
      dispose: () => (disposed = true),
    });

    expect(await classifier.predict([1, 2, 3])).toEqual([2, 4, 6]);
    expect(await classifier.predict([4])).toEqual([8]);
    await expect(classifier.predict([])).rejects.toThrow("empty batch");
    classifier.dispose();

    const batch = (await metrics.batchSize.get()).values;
    expect(batch.find((sample) => sample.metricName === "leukoflow_inference_batch_size_sum")?.value).toBe(4);
    expect(batch.find((sample) => sample.metricName === "leukoflow_inference_batch_size_count")?.value).toBe(3);
    const latency = (await metrics.inferenceLatency.get()).values;
    expect(latency.find((sample) => sample.metricName === "leukoflow_inference_latency_seconds_count")?.value).toBe(3);
    expect(disposed).toBe(true);
  });
});
