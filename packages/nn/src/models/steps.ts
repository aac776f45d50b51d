// One batch of work: a training step (forward on a tape, loss, gradients, update) and a test step.
import type { Tensor } from '@tapegrad/tensor';
import { GradientTape, type Variable, add, mean } from '@tapegrad/autograd';
import { type Layer, layerWeightsVersion } from '../layer.js';
import { type Compiled, updateMetrics } from './compiled.js';

/** The loss a model minimizes on a batch: the compiled loss plus every regularization penalty (Keras's compute_loss). */
export function totalLoss(model: Layer, c: Compiled, y: Tensor, yPred: Tensor, sampleWeight: Tensor | null): Tensor {
  let loss = c.loss.compute(y, yPred, sampleWeight);
  if (loss.size !== 1) loss = mean(loss); // a loss with reduction 'none' still trains on one number
  for (const penalty of model.regularizationLosses()) loss = add(loss, penalty);
  return loss;
}

/**
 * A model's trainable weights, read again only when some layer has made a weight or had `trainable` set since
 * the last read (reading them walks every layer, which costs more than a small model's step). Porting note: a
 * Variable's own `trainable` flag set directly during fit is seen at the next epoch, when fit makes a new cache.
 */
export class TrainableWeights {
  private version = -1;
  private list: Variable[] = [];

  constructor(private readonly model: Layer) {}

  /** The current list: the model's `trainableWeights`. */
  get(): Variable[] {
    if (this.version !== layerWeightsVersion()) {
      this.list = this.model.trainableWeights;
      this.version = layerWeightsVersion();
    }
    return this.list;
  }
}

/**
 * One gradient step: the forward pass in training mode on a fresh tape (BatchNormalization's moving
 * statistics move here), the loss, the gradients of the trainable weights, the optimizer update, and the
 * metric updates from this batch's predictions (made with the weights before the update, as Keras).
 * fit passes `weights` to keep the weight list between steps. Returns the batch's loss.
 */
export function trainStep(
  model: Layer, c: Compiled, x: Tensor, y: Tensor, sampleWeight: Tensor | null, weights = new TrainableWeights(model),
): number {
  const tape = new GradientTape();
  let yPred: Tensor | undefined;
  const loss = tape.run(() => {
    yPred = model.apply(x, { training: true });
    return totalLoss(model, c, y, yPred, sampleWeight);
  });
  const ws = weights.get(); // after the forward pass, which builds layers that build on first use
  const grads = tape.gradient(loss, ws);
  c.optimizer.applyGradients(ws.map((w, i) => [grads[i], w] as const));
  updateMetrics(c, y, yPred as Tensor, sampleWeight);
  return loss.item();
}

/** The loss of a batch in inference mode, with the metrics updated (no tape, no update). */
export function testStep(model: Layer, c: Compiled, x: Tensor, y: Tensor, sampleWeight: Tensor | null): number {
  const yPred = model.apply(x, { training: false });
  updateMetrics(c, y, yPred, sampleWeight);
  return totalLoss(model, c, y, yPred, sampleWeight).item();
}
