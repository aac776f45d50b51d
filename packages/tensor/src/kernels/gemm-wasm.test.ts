// Tests of the WebAssembly gemm itself: every transpose variant, sizes across every tile, panel and block edge,
// offsets and leading dimensions, accumulate, both threads, and products split to fit the memory, against float64.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getBackend, getNumThreads, setBackend, setGemmThresholds, setNumThreads } from '../backend.js';
import { helperJoins } from './gemm-threads.js';
import { gemmWasm } from './gemm-wasm.js';
import { setMemoryLimitBytes, wasmRuntime } from './wasm-runtime.js';
import { rng } from './test-rng.js';

interface Case {
  tA: boolean;
  tB: boolean;
  m: number;
  n: number;
  k: number;
  /** Extra elements per row of each operand's storage (0: contiguous; may be negative for a reversed row order). */
  padA: number;
  padB: number;
  padC: number;
  accumulate: boolean;
  reverseA?: boolean;
}

/** Runs gemmWasm on random operands laid out as `c` says and checks every element of C (and C's gaps). */
function check(c: Case, seed: number): void {
  const next = rng(seed);
  const { tA, tB, m, n, k, accumulate } = c;
  const [aRows, aCols] = tA ? [k, m] : [m, k];
  const [bRows, bCols] = tB ? [n, k] : [k, n];
  const lda = aCols + c.padA;
  const ldb = bCols + c.padB;
  const ldc = n + c.padC;
  const fill = (len: number): Float32Array => Float32Array.from({ length: len }, () => 2 * next() - 1);
  const aOff = 3;
  const a = fill(aOff + aRows * lda + 2);
  const b = fill(5 + bRows * ldb + 2);
  const cc = fill(1 + m * ldc + 2);
  // A reversed row order: row r at aOff + (aRows - 1 - r)·lda, i.e. a negative row stride.
  const [aStart, aLd] = c.reverseA ? [aOff + (aRows - 1) * lda, -lda] : [aOff, lda];
  const before = Float64Array.from(cc);
  expect(gemmWasm(tA, tB, m, n, k, a, aStart, aLd, b, 5, ldb, cc, 1, ldc, accumulate)).toBe(true);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? before[1 + i * ldc + j] : 0;
      let scale = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const x = a[aStart + (tA ? p * aLd + i : i * aLd + p)] * b[5 + (tB ? j * ldb + p : p * ldb + j)];
        s += x;
        scale += Math.abs(x);
      }
      const got = cc[1 + i * ldc + j];
      if (!(Math.abs(got - s) <= 2e-6 * (scale + 1))) {
        throw new Error(`${JSON.stringify(c)}: C[${i}, ${j}] = ${got}, expected ${s}`);
      }
      before[1 + i * ldc + j] = got;
    }
  }
  // Nothing outside the m × n window of C changed.
  for (let x = 0; x < cc.length; x++) if (cc[x] !== Math.fround(before[x])) throw new Error(`${JSON.stringify(c)}: c[${x}] changed`);
}

const TRANSPOSES = [[false, false], [false, true], [true, false], [true, true]] as const;

/** The same checks under each thread setting. */
describe.each([
  { threads: 1, label: 'one thread' },
  { threads: 2, label: 'two threads (threshold forced to 1)' },
])('wasm gemm, $label', ({ threads }) => {
  let saved: ReturnType<typeof setGemmThresholds>;
  const savedThreads = getNumThreads();
  beforeAll(() => {
    setNumThreads(threads);
    saved = setGemmThresholds({ threadMinWork: 1 });
  });
  afterAll(() => {
    setGemmThresholds(saved);
    setNumThreads(savedThreads);
  });

  it('loads (the build ran) and is the default backend', () => {
    expect(wasmRuntime()).not.toBeNull();
    expect(getBackend()).toBe('wasm');
  });

  it('every transpose variant at sizes across the 4×8 tile, the 128-row block and the 256-deep panel', () => {
    const sizes = [[1, 1, 1], [3, 7, 5], [4, 8, 1], [5, 9, 2], [17, 15, 33], [4, 31, 255], [129, 9, 257], [130, 17, 513], [8, 16, 4]];
    for (const [tA, tB] of TRANSPOSES) {
      for (const [m, n, k] of sizes) {
        for (const accumulate of [false, true]) {
          check({ tA, tB, m, n, k, padA: 0, padB: 0, padC: 0, accumulate }, m * 1000 + n * 10 + k);
        }
      }
    }
  });

  it('columns past the 2048-wide slab, transposed or not', () => {
    for (const [tA, tB] of TRANSPOSES) check({ tA, tB, m: 6, n: 2061, k: 9, padA: 1, padB: 0, padC: 3, accumulate: tA }, 7);
  });

  it('offsets, leading dimensions with small and large slack, reversed rows, accumulate (property)', () => {
    const dim = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 40 }) }, { weight: 1, arbitrary: fc.constantFrom(63, 65, 129) });
    const pad = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 }), fc.constant(97));
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), pad, pad, pad, fc.boolean(), fc.boolean(), fc.nat(),
        (m, n, k, tA, tB, padA, padB, padC, accumulate, reverseA, seed) => {
          check({ tA, tB, m, n, k, padA, padB, padC, accumulate, reverseA }, seed);
        }),
      { numRuns: 100 },
    );
  });

  it.runIf(threads === 2)('had the worker take part', () => {
    expect(helperJoins()).toBeGreaterThan(0);
  });
});

describe('wasm gemm under a small memory limit', () => {
  it('splits products that do not fit into parts that do', () => {
    // 430 kB: the control page, both threads' packing scratch (about 2 × 150 kB here) and about half of each
    // product's operands (64 kB and 75 kB whole), so each is split once.
    const before = setMemoryLimitBytes(430_000);
    try {
      for (const [tA, tB] of TRANSPOSES) {
        check({ tA, tB, m: 70, n: 90, k: 60, padA: 2, padB: 0, padC: 1, accumulate: false }, 11);
        check({ tA, tB, m: 20, n: 300, k: 40, padA: 0, padB: 3, padC: 0, accumulate: true }, 12);
      }
    } finally {
      setMemoryLimitBytes(before);
    }
  });
});

describe('backend selection', () => {
  it('switches between js and wasm and rejects other names', () => {
    setBackend('js');
    expect(getBackend()).toBe('js');
    setBackend('wasm');
    expect(getBackend()).toBe('wasm');
    expect(() => setBackend('gpu' as 'js')).toThrow(`setBackend: unknown backend "gpu"; valid backends are 'js' and 'wasm'`);
    expect(() => setNumThreads(3)).toThrow('setNumThreads: expected 1 or 2 threads, got 3');
  });
});
