// Tests of toDot: the recorded graph as a DOT digraph with tensor and op nodes, labelled edges and variable styling.
import type { Tensor } from '@tapegrad/tensor';
import { describe, expect, it } from 'vitest';
import { toDot } from './dot.js';
import { add, mul } from './ops/binary.js';
import { sum } from './ops/reduce.js';
import { square } from './ops/unary.js';
import { GradientTape } from './tape.js';
import { f64 } from './test-utils.js';
import { Variable } from './variable.js';

/** A small DOT reader: the node statements (id → attribute text) and the edges (from, to, attribute text). */
function parseDot(text: string): { nodes: Map<string, string>; edges: { from: string; to: string; attrs: string }[] } {
  const lines = text.trim().split('\n');
  expect(lines[0]).toBe('digraph tape {');
  expect(lines[lines.length - 1]).toBe('}');
  const nodes = new Map<string, string>();
  const edges: { from: string; to: string; attrs: string }[] = [];
  for (const line of lines.slice(1, -1)) {
    if (/^ {2}(rankdir=LR|node \[.*\]);$/.test(line)) continue; // graph attributes
    const edge = /^ {2}(\w+) -> (\w+)(?: \[(.*)\])?;$/.exec(line);
    const node = /^ {2}(\w+) \[(.*)\];$/.exec(line);
    if (edge) edges.push({ from: edge[1], to: edge[2], attrs: edge[3] ?? '' });
    else if (node) nodes.set(node[1], node[2]);
    else throw new Error(`not a DOT statement: ${line}`);
  }
  return { nodes, edges };
}

describe('toDot', () => {
  it('draws tensors as ellipses, ops as boxes, edges from inputs to op to output', () => {
    const w = new Variable(f64([1, 2]), { name: 'w' });
    const x = f64([3, 4]);
    const tape = new GradientTape();
    const y = tape.run(() => sum(add(mul(w, x), square(w))));
    const { nodes, edges } = parseDot(toDot(y));
    const ops = [...nodes].filter(([, a]) => a.includes('shape=box')).map(([, a]) => /label="#\d+ (\w+)"/.exec(a)?.[1]);
    expect(ops.sort()).toEqual(['add', 'mul', 'square', 'sum']);
    const tensors = [...nodes].filter(([, a]) => a.includes('shape=ellipse'));
    expect(tensors).toHaveLength(6); // w, x, w·x, w², their sum, y
    expect(nodes.get(`t${w.id}`)).toBe('shape=ellipse, label="w\\n[2]", style=filled, fillcolor="#dde8f5"');
    expect(nodes.get(`t${y.id}`)).toBe('shape=ellipse, label="t' + y.id + '\\n[]"');
    // every edge joins known nodes; mul's two inputs are numbered
    for (const e of edges) expect(nodes.has(e.from) && nodes.has(e.to), `${e.from} -> ${e.to}`).toBe(true);
    const mulOp = [...nodes].find(([, a]) => a.includes(' mul"'))![0];
    expect(edges.filter((e) => e.to === mulOp).map((e) => [e.from, e.attrs])).toEqual([[`t${w.id}`, 'label="0"'], [`t${x.id}`, 'label="1"']]);
    expect(edges.filter((e) => e.from === mulOp)).toHaveLength(1);
    expect(edges).toHaveLength(4 + 6); // an out-edge per op; in-edges: mul 2, square 1, add 2, sum 1
  });

  it('a tensor that was not recorded is a lone node; names with quotes are escaped', () => {
    const v = new Variable(f64([1]), { name: 'say "hi"' });
    const { nodes, edges } = parseDot(toDot(v));
    expect(nodes.size).toBe(1);
    expect(edges).toHaveLength(0);
    expect(nodes.get(`t${v.id}`)).toContain('label="say \\"hi\\"\\n[1]"');
  });

  it('follows the records only while the tape holds them', () => {
    const x = f64([1]);
    const tape = new GradientTape();
    tape.watch(x);
    const y: Tensor = tape.run(() => sum(square(x)));
    expect(parseDot(toDot(y)).nodes.size).toBe(5);
    tape.gradient(y, x);
    expect(parseDot(toDot(y)).nodes.size).toBe(1);
  });
});
