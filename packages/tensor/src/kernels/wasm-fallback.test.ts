// Tests that a missing kernels.wasm (say, deleted after the install) costs one warning and nothing else: products
// run on the TypeScript kernel and getBackend() says so.
import { describe, expect, it, vi } from 'vitest';
import { tensor } from '../create.js';
import { getBackend, setBackend, setGemmThresholds } from '../backend.js';
import { matmul } from './matmul.js';
import { wasmFailure } from './wasm-runtime.js';

// The module file cannot be read: as if packages/tensor/wasm/kernels.wasm had been deleted.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: Parameters<typeof actual.readFileSync>[0], ...rest: unknown[]) => {
    if (String(path).endsWith('.wasm')) throw new Error(`ENOENT: no such file or directory, open '${String(path)}'`);
    return (actual.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFileSync;
  return { ...actual, readFileSync, default: { ...actual, readFileSync } };
});

describe('without kernels.wasm', () => {
  it('warns once, reports the js backend and multiplies on the TypeScript kernel', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const saved = setGemmThresholds({ wasmMinWork: 1 });
    try {
      setBackend('wasm');
      expect(getBackend()).toBe('js');
      const a = tensor([[1, 2], [3, 4]]);
      expect(matmul(a, a).toArray()).toEqual([[7, 10], [15, 22]]);
      expect(matmul(a, a, { transposeB: true }).toArray()).toEqual([[5, 11], [11, 25]]);
      expect(getBackend()).toBe('js');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/WebAssembly kernels could not be loaded .*ENOENT.*pnpm build:wasm/);
      expect(wasmFailure()).toMatch(/ENOENT/);
    } finally {
      setGemmThresholds(saved);
      warn.mockRestore();
    }
  });
});
