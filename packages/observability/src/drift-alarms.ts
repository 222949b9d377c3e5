/**
 * When a lab's images leave what the model knows. The PrometheusRule in infra/k8s carries these
 * expressions (packages/infra-checks checks it does); `firingDriftAlarms` evaluates the same
 * comparisons on scraped values.
 */
export const DRIFT_ALARM_BAND = {
  /** Below this many predictions in the window a rate or a PSI says little. */
  minPredictions: 20,
  /** The OOD-flag rate may exceed the baseline's by this much. */
  oodRateAboveBaseline: 0.1,
  /** PSI of the OOD-score distribution: above 0.25 is the usual "significant shift"... */
  oodScorePsi: 0.25,
  /**
   * ...plus what sampling alone gives: with no drift n·PSI is about χ² with (bins − 1) degrees of
   * freedom, so a window of n predictions may reach 13.28 / n (its 99th percentile for the 5 OOD-score bins).
   */
  psiSamplingNoise: 13.28,
} as const;

const enough = `on (model, lab) max by (model, lab) (leukoflow_model_window_predictions) >= ${DRIFT_ALARM_BAND.minPredictions}`;

export const DRIFT_ALARMS = {
  LeukoFlowOodRateHigh: `max by (model, lab) (leukoflow_model_ood_rate - leukoflow_model_baseline_ood_rate) > ${DRIFT_ALARM_BAND.oodRateAboveBaseline} and ${enough}`,
  LeukoFlowModelDrift: `max by (model, lab) (leukoflow_model_drift_psi{feature="ood_score"}) > on (model, lab) (${DRIFT_ALARM_BAND.oodScorePsi} + ${DRIFT_ALARM_BAND.psiSamplingNoise} / max by (model, lab) (leukoflow_model_window_predictions)) and ${enough}`,
} as const;
export type DriftAlarm = keyof typeof DRIFT_ALARMS;

/** One model version and lab as scraped. */
export interface DriftSample {
  predictions: number;
  oodRate: number;
  baselineOodRate?: number;
  oodScorePsi?: number;
}

/** The alarms whose expression holds for the sample (a missing series makes its comparison false, as in PromQL). */
export function firingDriftAlarms(sample: DriftSample): DriftAlarm[] {
  if (sample.predictions < DRIFT_ALARM_BAND.minPredictions) return [];
  const firing: DriftAlarm[] = [];
  if (
    sample.baselineOodRate !== undefined &&
    sample.oodRate - sample.baselineOodRate > DRIFT_ALARM_BAND.oodRateAboveBaseline
  )
    firing.push("LeukoFlowOodRateHigh");
  const psiBand = DRIFT_ALARM_BAND.oodScorePsi + DRIFT_ALARM_BAND.psiSamplingNoise / sample.predictions;
  if (sample.oodScorePsi !== undefined && sample.oodScorePsi > psiBand) firing.push("LeukoFlowModelDrift");
  return firing;
}
