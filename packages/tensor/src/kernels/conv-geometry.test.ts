// Tests of the conv/pool geometry: Keras's output-size and padding table, option normalization and error messages.
import { describe, expect, it } from 'vitest';
import { checkPadding, conv2dGeometry, normalizeSize2d, pool2dGeometry, windowAxis } from './conv-geometry.js';

describe('windowAxis', () => {
  // [in, kernel, stride, dilation, padding, out, before, after], worked by hand from
  // valid: floor((in - ke)/s) + 1; same: ceil(in/s), total = max((out-1)*s + ke - in, 0), before = floor(total/2).
  const table: [number, number, number, number, 'valid' | 'same', number, number, number][] = [
    [5, 3, 2, 1, 'same', 3, 1, 1], // total (3-1)*2 + 3 - 5 = 2
    [6, 3, 2, 1, 'same', 3, 0, 1], // total 4 + 3 - 6 = 1: the odd pixel at the bottom
    [5, 3, 1, 1, 'same', 5, 1, 1],
    [8, 4, 1, 1, 'same', 8, 1, 2], // even kernel: total 3
    [7, 5, 1, 1, 'same', 7, 2, 2],
    [4, 2, 2, 1, 'same', 2, 0, 0],
    [10, 3, 4, 1, 'same', 3, 0, 1], // total 8 + 3 - 10 = 1
    [3, 1, 3, 1, 'same', 1, 0, 0], // total would be -2: clamped to 0
    [1, 3, 1, 1, 'same', 1, 1, 1], // a window wider than the input
    [5, 3, 1, 2, 'same', 5, 2, 2], // ke = 5
    [6, 2, 1, 3, 'same', 6, 1, 2], // ke = 4, total 5 + 4 - 6 = 3
    [5, 3, 1, 1, 'valid', 3, 0, 0],
    [5, 3, 2, 1, 'valid', 2, 0, 0],
    [6, 3, 2, 1, 'valid', 2, 0, 0], // floor(3/2) + 1
    [7, 3, 2, 1, 'valid', 3, 0, 0],
    [5, 3, 1, 2, 'valid', 1, 0, 0], // ke = 5
    [8, 1, 3, 1, 'valid', 3, 0, 0],
    [3, 3, 1, 1, 'valid', 1, 0, 0],
  ];
  for (const [size, k, s, d, padding, out, before, after] of table) {
    it(`in=${size} k=${k} s=${s} d=${d} ${padding} → ${out} (pad ${before}/${after})`, () => {
      expect(windowAxis(size, k, s, d, padding, 'conv2d', 'height')).toEqual({ out, padBefore: before, padAfter: after });
    });
  }

  it('rejects a valid window that does not fit, naming the op and the sizes', () => {
    expect(() => windowAxis(2, 3, 1, 1, 'valid', 'conv2d', 'height')).toThrow(/conv2d: .*window of height 3 does not fit in the input height 2/);
    expect(() => windowAxis(4, 3, 1, 2, 'valid', 'conv2d', 'width')).toThrow(/effective size 5 with dilation 2/);
  });
});

describe('normalizeSize2d and checkPadding', () => {
  it('accepts a number or a pair of positive integers', () => {
    expect(normalizeSize2d(3, 'strides', 'conv2d')).toEqual([3, 3]);
    expect(normalizeSize2d([2, 1], 'strides', 'conv2d')).toEqual([2, 1]);
  });

  it('rejects non-positive, fractional and malformed sizes', () => {
    for (const bad of [0, -1, 1.5, NaN, [1, 2, 3], [1], [0, 1], [1, 2.5], '2', null]) {
      expect(() => normalizeSize2d(bad, 'strides', 'conv2d')).toThrow(/^conv2d: strides must be a positive integer or a pair \[height, width\]/);
    }
  });

  it("defaults to 'valid' and lists the valid paddings otherwise", () => {
    expect(checkPadding(undefined, 'conv2d')).toBe('valid');
    expect(checkPadding('same', 'conv2d')).toBe('same');
    for (const bad of ['SAME', 'causal', 'full', 1]) {
      expect(() => checkPadding(bad, 'maxPool2d')).toThrow(/^maxPool2d: unknown padding .*; valid paddings are 'valid' and 'same'/);
    }
  });
});

describe('conv2dGeometry', () => {
  it('computes both axes independently', () => {
    const g = conv2dGeometry([2, 6, 5, 3], [3, 2, 3, 4], { strides: [2, 1], padding: 'same' }, 'conv2d');
    expect(g).toMatchObject({ batch: 2, inH: 6, inW: 5, channels: 3, kh: 3, kw: 2, filters: 4, sh: 2, sw: 1, outH: 3, outW: 5 });
    expect([g.padTop, g.padBottom, g.padLeft, g.padRight]).toEqual([0, 1, 0, 1]);
  });

  it('defaults to strides 1, dilation 1 and valid padding', () => {
    const g = conv2dGeometry([64, 8, 8, 1], [3, 3, 1, 16], undefined, 'conv2d');
    expect([g.outH, g.outW, g.sh, g.sw, g.dh, g.dw, g.padTop, g.padLeft]).toEqual([6, 6, 1, 1, 1, 1, 0, 0]);
  });

  it('rejects strides > 1 together with dilation > 1, even on different axes (as Keras does)', () => {
    expect(() => conv2dGeometry([1, 9, 9, 1], [3, 3, 1, 1], { strides: 2, dilation: 2 }, 'conv2d')).toThrow(
      /^conv2d: strides \[2, 2\] > 1 together with dilation \[2, 2\] > 1 is not supported/,
    );
    expect(() => conv2dGeometry([1, 9, 9, 1], [3, 3, 1, 1], { strides: [2, 1], dilation: [1, 2] }, 'conv2d')).toThrow(/not supported/);
    expect(() => conv2dGeometry([1, 9, 9, 1], [3, 3, 1, 1], { strides: 1, dilation: 2 }, 'conv2d')).not.toThrow();
  });

  it('rejects wrong ranks, channel mismatches and empty windows', () => {
    expect(() => conv2dGeometry([8, 8, 1], [3, 3, 1, 4], {}, 'conv2d')).toThrow(
      /^conv2d: the input must have rank 4 \[batch, height, width, channels\], got shape \[8, 8, 1\] \(rank 3\)/,
    );
    expect(() => conv2dGeometry([1, 8, 8, 1], [3, 3, 4], {}, 'conv2d')).toThrow(
      /^conv2d: the filter must have rank 4 \[kernelHeight, kernelWidth, inChannels, filters\]/,
    );
    expect(() => conv2dGeometry([1, 8, 8, 3], [3, 3, 2, 4], {}, 'conv2d')).toThrow(
      /^conv2d: the input has 3 channels \(shape \[1, 8, 8, 3\]\) but the filter expects 2 \(shape \[3, 3, 2, 4\]\)/,
    );
    expect(() => conv2dGeometry([1, 8, 8, 1], [0, 3, 1, 4], {}, 'conv2d')).toThrow(/empty window/);
    expect(() => conv2dGeometry([1, 8.5, 8, 1], [3, 3, 1, 4], {}, 'conv2d')).toThrow(/non-negative integer dimensions/);
  });

  it('names the op it is given', () => {
    expect(() => conv2dGeometry([1, 2, 2, 1], [3, 3, 1, 1], { padding: 'valid' }, 'conv2dBackpropFilter')).toThrow(/^conv2dBackpropFilter: /);
  });
});

describe('pool2dGeometry', () => {
  it('defaults poolSize to 2 and strides to poolSize', () => {
    const g = pool2dGeometry([1, 5, 5, 3], {}, 'maxPool2d');
    expect([g.kh, g.kw, g.sh, g.sw, g.outH, g.outW]).toEqual([2, 2, 2, 2, 2, 2]);
    const h = pool2dGeometry([1, 5, 7, 3], { poolSize: [3, 2] }, 'maxPool2d');
    expect([h.sh, h.sw, h.outH, h.outW]).toEqual([3, 2, 1, 3]);
  });

  it("pads 'same' by the conv rule with ke = poolSize", () => {
    const g = pool2dGeometry([1, 5, 6, 3], { poolSize: 2, padding: 'same' }, 'maxPool2d');
    expect([g.outH, g.padTop, g.padBottom, g.outW, g.padLeft, g.padRight]).toEqual([3, 0, 1, 3, 0, 0]);
    const h = pool2dGeometry([1, 6, 6, 1], { poolSize: 3, strides: 2, padding: 'same' }, 'avgPool2d');
    expect([h.outH, h.padTop, h.padBottom]).toEqual([3, 0, 1]);
  });

  it('rejects bad options and ranks, naming the op', () => {
    expect(() => pool2dGeometry([1, 5, 5, 3], { poolSize: 0 }, 'maxPool2d')).toThrow(/^maxPool2d: poolSize must be a positive integer/);
    expect(() => pool2dGeometry([1, 5, 5, 3], { strides: [1, 0] }, 'avgPool2d')).toThrow(/^avgPool2d: strides must be/);
    expect(() => pool2dGeometry([5, 5, 3], {}, 'maxPool2d')).toThrow(/^maxPool2d: the input must have rank 4/);
    expect(() => pool2dGeometry([1, 1, 5, 3], {}, 'maxPool2d')).toThrow(
      /^maxPool2d: with padding 'valid' the window of height 2 does not fit in the input height 1/,
    );
  });
});
