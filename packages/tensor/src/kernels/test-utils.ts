// Test helper: the kernel backends the gemm-based kernel tests run under (describe.each over BACKEND_SETTINGS).
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type Backend,
  type GemmThresholds,
  getBackend,
  getGemmThresholds,
  getNumThreads,
  setBackend,
  setGemmThresholds,
  setNumThreads,
} from '../backend.js';

/** One backend setting of the tests. */
export interface BackendSetting {
  readonly label: string;
  readonly backend: Backend;
  readonly threads: number;
  readonly thresholds: Partial<GemmThresholds>;
}

/**
 * The TypeScript kernels; the wasm gemm on one thread for every float32 product, however small; and the wasm gemm
 * split between two threads for every product it can split.
 */
export const BACKEND_SETTINGS: readonly BackendSetting[] = [
  { label: 'js', backend: 'js', threads: 1, thresholds: {} },
  { label: 'wasm', backend: 'wasm', threads: 1, thresholds: { wasmMinWork: 1 } },
  { label: 'wasm, 2 threads', backend: 'wasm', threads: 2, thresholds: { wasmMinWork: 1, threadMinWork: 1 } },
];

/** Switches to `setting` for the enclosing describe block (checking that it took) and restores the defaults after. */
export function useBackendSetting(setting: BackendSetting): void {
  const saved = { backend: getBackend(), threads: getNumThreads(), thresholds: getGemmThresholds() };
  beforeAll(() => {
    setBackend(setting.backend);
    setNumThreads(setting.threads);
    setGemmThresholds(setting.thresholds);
    expect(getBackend()).toBe(setting.backend); // the wasm module was built and loads
  });
  afterAll(() => {
    setBackend(saved.backend);
    setNumThreads(saved.threads);
    setGemmThresholds(saved.thresholds);
  });
}
