// Remembering the logits behind sigmoid and softmax outputs, so cross-entropy can use the stable logits form
// (Keras's TensorFlow backend does the same through `_keras_logits`).
import type { Tensor } from '@tapegrad/tensor';

/** How a probability tensor was made from logits. */
export interface LogitsSource {
  readonly kind: 'sigmoid' | 'softmax';
  readonly logits: Tensor;
}

const sources = new WeakMap<Tensor, LogitsSource>();

/** Notes that `probabilities` = kind(`logits`). */
export function markLogits(probabilities: Tensor, kind: LogitsSource['kind'], logits: Tensor): Tensor {
  sources.set(probabilities, { kind, logits });
  return probabilities;
}

/** The logits behind `probabilities`, if a sigmoid or softmax activation made it. */
export function logitsOf(probabilities: Tensor): LogitsSource | undefined {
  return sources.get(probabilities);
}
