// Every benchmark workload, in the order the table lists them. Add a family by adding its file and spreading it here.
import type { Workload } from '../harness.js';
import { elementwiseWorkloads } from './elementwise.js';
import { matmulWorkloads } from './matmul.js';

export const workloads: Workload[] = [...matmulWorkloads, ...elementwiseWorkloads];
