// The main demo in quick mode (what `pnpm demo:quick` runs): both experiments train, print their tables and write their plots.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Tensor } from 'tapegrad';
import { denseLayers, loadBreastCancer, shuffledSplit, variantModels } from './breast-cancer.js';
import { seedModelPair } from './circles.js';
import { epochsToReach } from './experiment.js';
import { main, parseDemoArgs } from './main.js';

const values = (ts: Tensor[]): number[][] => ts.map((t) => Array.from(t.toTypedArray()));

describe('pnpm demo --quick', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'tapegrad-demo-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('trains 2 + 3 models for 5 epochs, prints a side-by-side table for each and writes two SVG plots', async () => {
    const lines: string[] = [];
    const { experiments, tables, files } = await main({ quick: true, verbose: 0, outDir, log: (line) => lines.push(line) });

    expect(experiments.map((e) => e.runs.map((r) => r.label))).toEqual([
      ['without BN', 'with BN'],
      ['raw inputs', 'Normalization', 'BatchNormalization'],
    ]);
    for (const run of experiments.flatMap((e) => e.runs)) {
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) expect(run.history.get(key), `${run.label} ${key}`).toHaveLength(5);
      expect(run.msPerEpoch).toBeGreaterThan(0);
    }

    // Each table is printed whole: a header naming the runs, then one row a number, one cell a run.
    for (const [i, table] of tables.entries()) {
      for (const line of table) expect(lines).toContain(line);
      const header = table.find((l) => experiments[i].runs.every((r) => l.includes(r.label)));
      expect(header, table.join('\n')).toBeDefined();
      const cells = (name: string) => (table.find((l) => l.startsWith(name)) ?? '').slice(name.length).trim().split(/\s{2,}/);
      expect(cells('validation accuracy (last epoch)')).toEqual(experiments[i].runs.map((r) => (r.history.val_accuracy.at(-1) as number).toFixed(4)));
      for (const name of ['epochs to 80 % validation accuracy', 'epochs to 90 % validation accuracy']) {
        const row = cells(name);
        expect(row).toHaveLength(experiments[i].runs.length);
        for (const cell of row) expect(cell).toMatch(/^([1-5]|never)$/);
      }
      expect(cells('time per epoch (median)').every((c) => /^\d+\.\d ms$/.test(c))).toBe(true);
    }
    expect(tables[0].join('\n')).toMatch(/best possible accuracy is about 0\.84/);

    // The plots: one SVG per data set, in the folder asked for, named at the end of the printout.
    expect(files).toEqual([join(outDir, 'circles.svg'), join(outDir, 'breast-cancer.svg')]);
    for (const [i, file] of files.entries()) {
      expect(existsSync(file)).toBe(true);
      const svg = readFileSync(file, 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      for (const run of experiments[i].runs) expect(svg).toContain(`>${run.label}<`); // the legend
      expect(svg).toContain('Accuracy');
      expect(lines).toContain(`  ${file}`);
    }
  });
});

describe('the demo compares like with like', () => {
  it('the seed model with and without BatchNormalization start from the same Dense weights', () => {
    const { withBN, withoutBN } = seedModelPair(3);
    expect(withBN.layers.map((l) => l.constructor.name)).toEqual(['Dense', 'BatchNormalization', 'Dense']);
    expect(values(withoutBN.layers[0].getWeights())).toEqual(values(withBN.layers[0].getWeights()));
    expect(values(withoutBN.layers[1].getWeights())).toEqual(values(withBN.layers[2].getWeights()));
    expect(withBN.countParams()).toBe(401); // the seed model of the texts
  });

  it('the three breast-cancer models share their Dense weights', () => {
    const [raw, normalized, batchNorm] = variantModels(30, 16, 3);
    const dense = (m: typeof raw) => denseLayers(m).map((l) => values(l.getWeights()));
    expect(dense(normalized)).toEqual(dense(raw));
    expect(dense(batchNorm)).toEqual(dense(raw));
    expect(normalized.layers[0].constructor.name).toBe('Normalization');
    expect(batchNorm.layers[1].constructor.name).toBe('BatchNormalization');
  });

  it('loads the 569 × 30 breast-cancer data and splits it 398 / 171 the same way for the same seed', () => {
    const data = loadBreastCancer();
    expect(data.x.shape).toEqual([569, 30]);
    expect(data.y.shape).toEqual([569, 1]);
    expect(Array.from(data.y.toTypedArray()).filter((v) => v === 0)).toHaveLength(212); // malignant
    const a = shuffledSplit(data, 0.3, 5);
    const b = shuffledSplit(data, 0.3, 5);
    expect(a.xTrain.shape).toEqual([398, 30]);
    expect(a.xVal.shape).toEqual([171, 30]);
    expect(Array.from(a.yVal.toTypedArray())).toEqual(Array.from(b.yVal.toTypedArray()));
    expect(a.xTrain.get(0, 3)).toBe(b.xTrain.get(0, 3));
  });
});

describe('helpers', () => {
  it('epochsToReach counts epochs from 1 and says null when the target is never reached', () => {
    expect(epochsToReach([0.5, 0.79, 0.8, 0.95], 0.8)).toBe(3);
    expect(epochsToReach([0.91], 0.9)).toBe(1);
    expect(epochsToReach([0.5, 0.85], 0.9)).toBeNull();
  });

  it('parses --quick, --epochs, --out and --verbose, and names a bad value', () => {
    expect(parseDemoArgs(['--quick', '--epochs', '7', '--out', '/tmp/x', '--verbose', '0'])).toEqual({ quick: true, epochs: 7, outDir: '/tmp/x', verbose: 0 });
    expect(parseDemoArgs(['--', '--epochs', '3']).epochs).toBe(3); // pnpm demo -- --epochs 3
    expect(parseDemoArgs([])).toEqual({ quick: undefined, epochs: undefined, outDir: undefined, verbose: undefined });
    expect(() => parseDemoArgs(['--epochs', '2.5'])).toThrow(/--epochs must be a whole number of at least 1, got '2\.5'/);
    expect(() => parseDemoArgs(['--verbose', '3'])).toThrow(/--verbose must be 0, 1 or 2/);
    expect(() => parseDemoArgs(['--epoch', '3'])).toThrow(/Unknown option '--epoch'/);
  });
});
