// Runs each example's main() in quick mode, writing to a temporary folder, and checks its outputs and numbers.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ExampleOptions } from './lib/example.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Quick mode, outputs in a fresh temporary folder, the printout collected instead of printed. */
function quick(): ExampleOptions & { lines: string[]; outDir: string } {
  const outDir = mkdtempSync(join(tmpdir(), 'tapegrad-example-'));
  made.push(outDir);
  const lines: string[] = [];
  return { quick: true, outDir, lines, log: (line) => lines.push(line) };
}

describe('examples in quick mode', () => {
  it('hello: prints the tensors, the transposed view and the products', async () => {
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
    try {
      await import('./hello/main.js'); // it runs when imported
    } finally {
      spy.mockRestore();
    }
    const text = printed.join('\n');
    expect(text).toContain('(strides [1,3], contiguous: false)');
    expect(text).toMatch(/a · aᵀ = tensor\(\[\[14\., 32\.\],\s*\[32\., 77\.\]\]/);
  });

  it('autograd-tour: the tape gradients equal the chain rule by hand; the DOT file is written', async () => {
    const { main } = await import('./autograd-tour/main.js');
    const o = quick();
    const r = await main(o);
    r.gradW.forEach((g, i) => expect(g).toBeCloseTo(r.byHandW[i], 5));
    expect(r.gradB[0]).toBeCloseTo(r.byHandB[0], 5);
    const dot = readFileSync(r.dotFile, 'utf8');
    expect(dot.startsWith('digraph tape {')).toBe(true);
    expect(dot).toContain('#1 matmul');
    expect(o.lines.join('\n')).toContain('dot -Tsvg');
  });

  it('custom-op: both custom gradients pass gradCheck to first and second order; the buggy one fails', async () => {
    const { main } = await import('./custom-op/main.js');
    const o = quick();
    const r = await main(o);
    expect(Object.keys(r.checks)).toHaveLength(4);
    for (const [name, error] of Object.entries(r.checks)) expect(error, name).toBeLessThan(1e-6);
    expect(r.buggyError).toBeGreaterThan(0.1);
    expect(o.lines.join('\n')).not.toMatch(/stable .*NaN|safe .*NaN/);
  });

  it('custom-layer: trains, keeps ‖w‖ = |g|, and the loaded model predicts exactly the same', async () => {
    const { main } = await import('./custom-layer/main.js');
    const o = quick();
    const r = await main(o);
    expect(r.gradCheckError).toBeLessThan(1e-6);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(r.maxNormError).toBeLessThan(1e-5);
    expect(r.maxPredictionDifference).toBe(0);
    expect(existsSync(join(r.modelDir, 'model.json'))).toBe(true);
    expect(r.modelDir.startsWith(o.outDir)).toBe(true);
  });

  it('digits: quick test accuracy above 50%, and the confusion matrix counts every test image', async () => {
    const { main } = await import('./digits/main.js');
    const o = quick();
    const r = await main(o);
    expect(r.testAccuracy).toBeGreaterThan(0.5);
    expect(r.confusion).toHaveLength(10);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(r.testSize);
    const diagonal = r.confusion.reduce((s, row, i) => s + row[i], 0);
    expect(diagonal / r.testSize).toBeCloseTo(r.testAccuracy, 10);
    expect(o.lines.join('\n')).toMatch(/test accuracy: \d+\.\d%/);
  });

  it('small-batch: 8 runs; LayerNormalization ignores the batch, BatchNormalization with batches of 2 does not', async () => {
    const { main } = await import('./small-batch/main.js');
    const o = quick();
    const r = await main(o);
    expect(r.runs).toHaveLength(8);
    for (const run of r.runs) {
      expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(run.testAccuracy).toBeLessThanOrEqual(1);
      expect(run.curve.at(-1)).toBeCloseTo(run.testAccuracy, 10); // the last validation pass is the final model
      // LN has no batch statistics: training mode and inference give the same predictions.
      if (run.norm === 'LayerNormalization') expect(run.batchStatsAccuracy).toBe(run.testAccuracy);
    }
    const at2 = (norm: string) => r.runs.find((run) => run.norm === norm && run.batchSize === 2)!;
    expect(at2('LayerNormalization').testAccuracy).toBeGreaterThan(at2('BatchNormalization').batchStatsAccuracy);
    for (const file of r.files) {
      expect(file.startsWith(o.outDir)).toBe(true);
      expect(readFileSync(file, 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
    }
  });
});
