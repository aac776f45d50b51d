// Table of contents of the metrics (Keras 3 `keras.metrics`): the Metric base class, the running mean of a per-sample
// function, the accuracy metrics and getMetric for names. The per-sample loss functions (meanSquaredError,
// binaryCrossentropy, ...) double as metric functions; they are exported from losses/.
export { Metric, type MetricConfig, type MetricFn, MeanMetricWrapper, type MeanMetricWrapperOptions, batchTotals } from './metric.js';
export {
  BinaryAccuracy, type BinaryAccuracyOptions, CategoricalAccuracy, SparseCategoricalAccuracy, binaryAccuracy, categoricalAccuracy,
  sparseCategoricalAccuracy,
} from './accuracy.js';
export { type MetricIdentifier, accuracyKind, getMetric } from './get-metric.js';
