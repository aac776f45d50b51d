// Every benchmark workload, in the order the table lists them. Add a family by adding its file and spreading it here.
import type { AnyWorkload, RunContext } from '../harness.js';
import { elementwiseWorkloads } from './elementwise.js';
import { matmulWorkloads } from './matmul.js';
import { memoryWorkload } from './memory.js';
import { trainingWorkloads } from './training.js';

/** The workloads for a run (W1, W2 and W6 do less work per call with --quick). */
export const workloads = (ctx: RunContext): AnyWorkload[] => {
  const [w1, w2train, w2infer, w6] = trainingWorkloads(ctx);
  return [w1, w2train, w2infer, ...matmulWorkloads, ...elementwiseWorkloads, memoryWorkload, w6];
};
