// W4: the cost of one small elementwise op, which per-op overhead dominates: a + b for two [32, 50] float32 tensors,
// through each framework's public op (tapegrad's autograd `add`, which records when a tape is active; tf.add).
import { randomUniform } from '@tapegrad/tensor';
import { add } from '@tapegrad/autograd';
import { tf } from '../frameworks.js';
import type { Runner, Workload } from '../harness.js';

const SHAPE = [32, 50];

/** A TensorFlow.js runner: the CPU and WASM kernels run synchronously, so the op is done when tf.add returns. */
const tfjsAdd: Runner = () => {
  const a = tf.tensor(randomUniform(SHAPE, { seed: 1 }).data as Float32Array, SHAPE);
  const b = tf.tensor(randomUniform(SHAPE, { seed: 2 }).data as Float32Array, SHAPE);
  return Object.assign(() => tf.add(a, b).dispose(), { dispose: () => tf.dispose([a, b]) });
};

/** The W4 row. */
export const elementwiseWorkloads: Workload[] = [
  {
    id: 'W4',
    title: 'float32 add [32, 50] + [32, 50], one op',
    unit: 'µs',
    higherIsBetter: false,
    value: (seconds) => seconds * 1e6,
    runners: {
      tapegrad: () => {
        const a = randomUniform(SHAPE, { seed: 1 });
        const b = randomUniform(SHAPE, { seed: 2 });
        return () => add(a, b);
      },
      tfjs_cpu: tfjsAdd,
      tfjs_wasm: tfjsAdd,
    },
  },
];
