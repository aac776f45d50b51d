// What compile() produces: the optimizer, loss and metrics a model trains with, and the logs made from them.
import type { Tensor } from '@tapegrad/tensor';
import type { Logs } from '../callbacks/callback.js';
import { type Loss, type LossIdentifier, getLoss } from '../losses/index.js';
import { type Metric, type MetricIdentifier, getMetric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { type OptimizerIdentifier, getOptimizer } from '../optimizers/get-optimizer.js';

/** Options of {@link Model.compile}. */
export interface CompileOptions {
  /** An optimizer or its name; default 'rmsprop' (Keras). */
  optimizer?: OptimizerIdentifier;
  /** The loss to minimize: a name ('binary_crossentropy' / 'binaryCrossentropy', 'mse', ...) or a Loss. */
  loss: LossIdentifier;
  /** Metrics to report; sample and class weights do not apply to them. 'accuracy' resolves from the shapes. */
  metrics?: readonly MetricIdentifier[];
  /** Metrics that do take sample and class weights into account. */
  weightedMetrics?: readonly MetricIdentifier[];
}

/** A compiled model's training configuration. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  /** Metrics fed without sample weights. */
  readonly metrics: readonly Metric[];
  /** Metrics fed with sample weights. */
  readonly weightedMetrics: readonly Metric[];
}

/** Resolves compile()'s options into objects (names looked up, defaults filled). */
export function resolveCompile(options: CompileOptions): Compiled {
  return {
    optimizer: getOptimizer(options.optimizer ?? 'rmsprop'),
    loss: getLoss(options.loss),
    metrics: (options.metrics ?? []).map((m) => getMetric(m)),
    weightedMetrics: (options.weightedMetrics ?? []).map((m) => getMetric(m)),
  };
}

/** Every metric, unweighted then weighted. */
export function allMetrics(c: Compiled): Metric[] {
  return [...c.metrics, ...c.weightedMetrics];
}

/** Starts every metric's running mean afresh (at each epoch, and before evaluation). */
export function resetMetrics(c: Compiled): void {
  for (const m of allMetrics(c)) m.resetState();
}

/** Feeds a batch's predictions to the metrics (the weighted ones get the sample weights). */
export function updateMetrics(c: Compiled, y: Tensor, yPred: Tensor, sampleWeight: Tensor | null): void {
  for (const m of c.metrics) m.updateState(y, yPred, null);
  for (const m of c.weightedMetrics) m.updateState(y, yPred, sampleWeight);
}

/** The names of evaluate()'s results, in Keras's order: loss, then each metric. */
export function resultNames(c: Compiled): string[] {
  return ['loss', ...allMetrics(c).map((m) => m.name)];
}

// The order logsOf writes a configuration's keys in: sorted once (fit makes logs after every batch).
const logOrders = new WeakMap<Compiled, { names: string[]; from: number[] }>();

/** Logs of a loss and the metrics' current results, keys in alphabetical order as Keras 3 prints them. */
export function logsOf(loss: number, c: Compiled): Logs {
  const metrics = allMetrics(c);
  let order = logOrders.get(c);
  if (order === undefined || order.names.length !== metrics.length + 1) {
    const names = ['loss', ...metrics.map((m) => m.name)];
    const from = names.map((_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    order = { names, from };
    logOrders.set(c, order);
  }
  const values = [loss, ...metrics.map((m) => m.result())];
  const logs: Logs = {};
  for (const i of order.from) logs[order.names[i]] = values[i];
  return logs;
}
