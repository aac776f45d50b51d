// The frameworks under test: tapegrad, and TensorFlow.js with its CPU and WASM backends, set up for Node.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import type { Framework } from './harness.js';

export { tf };

/** Switches TensorFlow.js to `backend` unless it is already active. */
async function useBackend(backend: 'cpu' | 'wasm'): Promise<void> {
  if (tf.getBackend() === backend) return;
  if (!(await tf.setBackend(backend))) throw new Error(`bench: TensorFlow.js could not switch to its ${backend} backend`);
  await tf.ready();
}

/**
 * Sets up the frameworks and returns the ones that work here, plus notes for the report (e.g. why WASM is missing).
 * The WASM backend loads its .wasm files from node_modules through `setWasmPaths` (a file path with a trailing slash).
 */
export async function loadFrameworks(): Promise<{ frameworks: Framework[]; notes: string[] }> {
  tf.enableProdMode(); // silences the "install tfjs-node" banner; changes only logging
  const notes: string[] = [];
  const frameworks: Framework[] = [
    { id: 'tapegrad', label: 'tapegrad', activate: async () => {} },
    { id: 'tfjs_cpu', label: 'tfjs CPU', activate: () => useBackend('cpu') },
  ];
  try {
    const require = createRequire(import.meta.url);
    const root = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    tfWasm.setWasmPaths(path.join(root, 'dist') + path.sep);
    await useBackend('wasm');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    // tfjs turns its threaded WASM build off under Node (WASM_HAS_MULTITHREAD_SUPPORT is false there; tfjs issue 3830).
    notes.push(`tfjs WASM: SIMD ${simd ? 'on' : 'off'}, ${tfWasm.getThreadsCount()} thread(s) (tfjs runs WASM single-threaded under Node).`);
    frameworks.push({ id: 'tfjs_wasm', label: 'tfjs WASM', activate: () => useBackend('wasm') });
  } catch (e) {
    notes.push(`tfjs WASM left out: ${(e as Error).message}`);
  }
  await useBackend('cpu');
  return { frameworks, notes };
}

/** The active TensorFlow.js backend's name, for notes. */
export const tfVersion = (): string => tf.version_core;
