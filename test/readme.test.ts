// The README's TypeScript snippets run as written: each ```ts block is saved next to this file and imported,
// with the console and stdout captured, so the first screen a newcomer reads cannot drift from the API.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const written: URL[] = [];
afterAll(() => written.forEach((file) => rmSync(file, { force: true })));

/** Runs one snippet as a module and returns what it printed (console.log lines and progress-bar output). */
async function run(index: number): Promise<string> {
  const file = new URL(`./readme-snippet-${index}.tmp.ts`, import.meta.url);
  written.push(file);
  writeFileSync(file, blocks[index]);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await import(/* @vite-ignore */ file.href);
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  return printed.join('\n');
}

describe('README snippets', () => {
  it('has the seed-model snippet and the five-line autograd snippet', () => {
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain('new BatchNormalization()');
    expect(blocks[1]).toContain('new GradientTape()');
  });

  it('the seed model trains for 100 epochs with Keras progress output', async () => {
    const out = await run(0);
    expect(out).toContain('Epoch 100/100');
    expect(out).toMatch(/val_accuracy: 0\.[5-9]/);
  });

  it('the autograd snippet prints the tape and the gradient', async () => {
    const out = await run(1);
    expect(out).toMatch(/matmul/);
    expect(out).toMatch(/tanh/);
    // d/dw sum(tanh(x·w)) = xᵀ·(1 - tanh²(x·w)) with x·w = 0.5 - 2 = -1.5
    const g = 1 - Math.tanh(-1.5) ** 2;
    expect(out).toContain(g.toFixed(4));
    expect(out).toContain((2 * g).toFixed(4));
  });
});
