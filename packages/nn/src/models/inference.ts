// The batch loops of evaluate and predict: inference mode, no tape, with progress reported to callbacks.
import { type Tensor, kernels } from '@tapegrad/tensor';
import { noGrad } from '@tapegrad/autograd';
import type { CallbackList, Logs } from '../callbacks/callback.js';
import type { Layer } from '../layer.js';
import { type Compiled, logsOf, resetMetrics } from './compiled.js';
import { rowRange } from './data.js';
import { testStep } from './steps.js';

/**
 * The loss and metrics over (x, y) batch by batch in inference mode, as logs. The loss is the mean of the
 * batch losses weighted by batch size; metrics are running means. Test hooks go to `callbacks`; promises
 * returned by async hooks are collected in `pending` (fit's validation) or refused (evaluate).
 */
export function evaluateBatches(
  model: Layer, c: Compiled, data: { x: Tensor; y: Tensor; w: Tensor | null }, batchSize: number,
  callbacks: CallbackList, pending?: Promise<void>[],
): Logs {
  resetMetrics(c);
  const n = data.x.shape[0];
  let lossSum = 0;
  let seen = 0;
  callbacks.callNow('onTestBegin', null, {}, pending);
  noGrad(() => {
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const end = Math.min(n, start + batchSize);
      callbacks.callNow('onTestBatchBegin', b, {}, pending);
      const loss = testStep(model, c, rowRange(data.x, start, end), rowRange(data.y, start, end), data.w ? rowRange(data.w, start, end) : null);
      lossSum += loss * (end - start);
      seen += end - start;
      callbacks.callNow('onTestBatchEnd', b, logsOf(lossSum / seen, c), pending);
    }
  });
  const logs = logsOf(seen > 0 ? lossSum / seen : NaN, c);
  callbacks.callNow('onTestEnd', null, logs, pending);
  return logs;
}

/** The model's outputs for x in inference mode, batch by batch, concatenated; predict hooks go to `callbacks`. */
export function predictBatches(model: Layer, x: Tensor, batchSize: number, callbacks: CallbackList): Tensor {
  const n = x.shape[0];
  const outs: Tensor[] = [];
  callbacks.callNow('onPredictBegin', null, {});
  noGrad(() => {
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      callbacks.callNow('onPredictBatchBegin', b, {});
      outs.push(model.apply(rowRange(x, start, Math.min(n, start + batchSize)), { training: false }));
      callbacks.callNow('onPredictBatchEnd', b, {});
    }
  });
  callbacks.callNow('onPredictEnd', null, {});
  if (outs.length === 0) return noGrad(() => model.apply(x, { training: false }));
  return outs.length === 1 ? outs[0] : kernels.concat(outs, 0);
}
