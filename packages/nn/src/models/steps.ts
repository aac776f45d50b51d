// One batch of work: a training step (forward on a tape, loss, gradients, update) and a test step.
import type { Tensor } from '@tapegrad/tensor';
import { GradientTape, add, mean } from '@tapegrad/autograd';
import type { Layer } from '../layer.js';
import { type Compiled, updateMetrics } from './compiled.js';

/** The loss a model minimizes on a batch: the compiled loss plus every regularization penalty (Keras's compute_loss). */
export function totalLoss(model: Layer, c: Compiled, y: Tensor, yPred: Tensor, sampleWeight: Tensor | null): Tensor {
  let loss = c.loss.compute(y, yPred, sampleWeight);
  if (loss.size !== 1) loss = mean(loss); // a loss with reduction 'none' still trains on one number
  for (const penalty of model.regularizationLosses()) loss = add(loss, penalty);
  return loss;
}

/**
 * One gradient step: the forward pass in training mode on a fresh tape (BatchNormalization's moving
 * statistics move here), the loss, the gradients of the trainable weights, the optimizer update, and the
 * metric updates from this batch's predictions (made with the weights before the update, as Keras).
 * Returns the batch's loss.
 */
export function trainStep(model: Layer, c: Compiled, x: Tensor, y: Tensor, sampleWeight: Tensor | null): number {
  const tape = new GradientTape();
  let yPred: Tensor | undefined;
  const loss = tape.run(() => {
    yPred = model.apply(x, { training: true });
    return totalLoss(model, c, y, yPred, sampleWeight);
  });
  const weights = model.trainableWeights;
  const grads = tape.gradient(loss, weights);
  c.optimizer.applyGradients(weights.map((w, i) => [grads[i], w] as const));
  updateMetrics(c, y, yPred as Tensor, sampleWeight);
  return loss.item();
}

/** The loss of a batch in inference mode, with the metrics updated (no tape, no update). */
export function testStep(model: Layer, c: Compiled, x: Tensor, y: Tensor, sampleWeight: Tensor | null): number {
  const yPred = model.apply(x, { training: false });
  updateMetrics(c, y, yPred, sampleWeight);
  return totalLoss(model, c, y, yPred, sampleWeight).item();
}
