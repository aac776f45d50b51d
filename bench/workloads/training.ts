// W1, W2 and W6: whole models trained (and W2 run for inference) through each framework's Keras-style API,
// fit(...) and predict(...) with the same layers, data, batch sizes and options on both sides.
import { makeCircles } from 'tapegrad';
import { tf } from '../frameworks.js';
import type { RunContext, Runner, Timed, Workload } from '../harness.js';
import { type Data, imageData, mlpData } from './data.js';
import { tapegradConvnet, tapegradData, tapegradMlp, tapegradSeedModel } from './models-tapegrad.js';
import { tfjsConvnet, tfjsData, tfjsMlp, tfjsSeedModel } from './models-tfjs.js';

/** A timed function doing `units` units of work per call. */
const timed = (fn: () => unknown, units: number, dispose?: () => void): Timed => Object.assign(fn, { units, dispose });

// ---------------------------------------------------------------- W1

/** Epochs per fit call (10; 3 in quick mode): the fit's one-time set-up (validation split, checks) is shared by them. */
const w1Epochs = (ctx: RunContext): number => (ctx.quick ? 3 : 10);
const W1_FIT = { batchSize: 32, validationSplit: 0.3, verbose: 0 } as const;

/** W1's data: the demo's 1,000 two-circles points, noise 0.1 (tapegrad's makeCircles; the values do not affect speed). */
function circlesData(): Data {
  const { x, y } = makeCircles({ nSamples: 1000, noise: 0.1, seed: 3 });
  return { x: x.toTypedArray() as Float32Array, xShape: [1000, 2], y: y.toTypedArray() as Float32Array, yShape: [1000, 1] };
}

const w1Tfjs: Runner = (ctx) => {
  const epochs = w1Epochs(ctx);
  const model = tfjsSeedModel();
  const { x, y } = tfjsData(circlesData());
  return timed(() => model.fit(x, y, { ...W1_FIT, epochs }), epochs, () => {
    model.dispose();
    tf.dispose([x, y]);
  });
};

// ---------------------------------------------------------------- W2

/** Steps per fit call: one epoch of 10 batches of 128 (5 in quick mode), shuffled, no validation. */
const w2Steps = (ctx: RunContext): number => (ctx.quick ? 5 : 10);
const W2_BATCH = 128;
const W2_PREDICT = 1024;

const w2TrainTfjs: Runner = (ctx) => {
  const steps = w2Steps(ctx);
  const model = tfjsMlp();
  const { x, y } = tfjsData(mlpData(steps * W2_BATCH));
  return timed(() => model.fit(x, y, { batchSize: W2_BATCH, epochs: 1, verbose: 0 }), steps, () => {
    model.dispose();
    tf.dispose([x, y]);
  });
};

const w2PredictTfjs: Runner = () => {
  const model = tfjsMlp();
  const { x, y } = tfjsData(mlpData(W2_PREDICT, 12));
  const run = (): void => {
    const out = model.predict(x, { batchSize: W2_PREDICT }) as tf.Tensor;
    out.dataSync(); // the CPU and WASM kernels are synchronous; this reads the result out as tapegrad has it
    out.dispose();
  };
  return timed(run, W2_PREDICT, () => {
    model.dispose();
    tf.dispose([x, y]);
  });
};

// ---------------------------------------------------------------- W6

/** Steps per fit call: one epoch of 10 batches of 64 (5 in quick mode), shuffled, no validation. */
const w6Steps = (ctx: RunContext): number => (ctx.quick ? 5 : 10);
const W6_BATCH = 64;

const w6Tfjs: Runner = (ctx) => {
  const n = w6Steps(ctx) * W6_BATCH;
  const model = tfjsConvnet();
  const { x, y } = tfjsData(imageData(n));
  return timed(() => model.fit(x, y, { batchSize: W6_BATCH, epochs: 1, verbose: 0 }), n, () => {
    model.dispose();
    tf.dispose([x, y]);
  });
};

/** The W1, W2 and W6 rows (their titles give the work per fit call, which `--quick` makes smaller). */
export const trainingWorkloads = (ctx: RunContext): Workload[] => [
  {
    id: 'W1',
    title: `seed model, 1,000 circles, batch 32, validationSplit 0.3, accuracy: fit(epochs ${w1Epochs(ctx)}) ÷ ${w1Epochs(ctx)}`,
    unit: 'ms/epoch',
    higherIsBetter: false,
    value: (seconds) => seconds * 1e3,
    runners: {
      tapegrad: (ctx) => {
        const epochs = w1Epochs(ctx);
        const model = tapegradSeedModel();
        const { x, y } = tapegradData(circlesData());
        return timed(() => model.fit(x, y, { ...W1_FIT, epochs }), epochs);
      },
      tfjs_cpu: w1Tfjs,
      tfjs_wasm: w1Tfjs,
    },
  },
  {
    id: 'W2 training',
    title: `MLP 784-256-BN-ReLU-256-BN-ReLU-10, Adam, CCE, batch 128: fit 1 epoch of ${w2Steps(ctx)} steps`,
    unit: 'steps/s',
    higherIsBetter: true,
    value: (seconds) => 1 / seconds,
    runners: {
      tapegrad: (ctx) => {
        const steps = w2Steps(ctx);
        const model = tapegradMlp();
        const { x, y } = tapegradData(mlpData(steps * W2_BATCH));
        return timed(() => model.fit(x, y, { batchSize: W2_BATCH, epochs: 1, verbose: 0 }), steps);
      },
      tfjs_cpu: w2TrainTfjs,
      tfjs_wasm: w2TrainTfjs,
    },
  },
  {
    id: 'W2 inference',
    title: 'the W2 MLP (untrained), predict on [1024, 784], batchSize 1024',
    unit: 'samples/s',
    higherIsBetter: true,
    value: (seconds) => 1 / seconds,
    runners: {
      tapegrad: () => {
        const model = tapegradMlp();
        const { x } = tapegradData(mlpData(W2_PREDICT, 12));
        return timed(() => model.predict(x, { batchSize: W2_PREDICT, verbose: 0 }), W2_PREDICT);
      },
      tfjs_cpu: w2PredictTfjs,
      tfjs_wasm: w2PredictTfjs,
    },
  },
  {
    id: 'W6',
    title: `digits convnet Conv2D(16,3×3)-BN-ReLU-MaxPool-Dense(10), [N,8,8,1], batch 64: fit 1 epoch of ${w6Steps(ctx)} steps`,
    unit: 'samples/s',
    higherIsBetter: true,
    value: (seconds) => 1 / seconds,
    runners: {
      tapegrad: (ctx) => {
        const n = w6Steps(ctx) * W6_BATCH;
        const model = tapegradConvnet();
        const { x, y } = tapegradData(imageData(n));
        return timed(() => model.fit(x, y, { batchSize: W6_BATCH, epochs: 1, verbose: 0 }), n);
      },
      tfjs_cpu: w6Tfjs,
      // tfjs_wasm: none. TensorFlow.js 4.22's WASM backend registers no Conv2DBackpropFilter kernel, so this
      // model cannot train there (fit throws "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'").
    },
    note: "W6: no tfjs WASM value: TensorFlow.js 4.22's WASM backend has no Conv2DBackpropFilter kernel, so a Conv2D model cannot train on it.",
  },
];
