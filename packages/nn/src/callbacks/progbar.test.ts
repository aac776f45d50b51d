// Progbar and the Python number formats, against strings worked out by hand from keras/src/utils/progbar.py and Python's format rules.
import { describe, expect, it } from 'vitest';
import { Progbar, formatExponential, formatFixed, formatLogValue, pyFloatRepr } from './progbar.js';
import { captureWriter, fakeClock, plain } from './test-utils.js';

const B = '\x1b[1m';
const R = '\x1b[0m';
const G = '\x1b[32m';
const D = '\x1b[37m';
const bar = (green: number): string => (green > 0 ? `${G}${'━'.repeat(green)}${R}` : '') + `${D}${'━'.repeat(20 - green)}${R}`;

describe('Python number formats', () => {
  it('%.4f rounds the exact binary value, ties to even', () => {
    expect(formatFixed(0.35612, 4)).toBe('0.3561');
    expect(formatFixed(0.345, 4)).toBe('0.3450'); // 0.34499999999999997...
    expect(formatFixed(0.03125, 4)).toBe('0.0312'); // exact tie, 2 is even (toFixed says 0.0313)
    expect(formatFixed(0.09375, 4)).toBe('0.0938'); // exact tie, 7 is odd
    expect(formatFixed(-0.00001, 4)).toBe('-0.0000');
    expect(formatFixed(12, 2)).toBe('12.00');
  });

  it('%.0f rounds ties to even', () => {
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(2.5000001, 0)).toBe('3');
  });

  it('%.4e pads the exponent to two digits and carries', () => {
    expect(formatExponential(1e-5, 4)).toBe('1.0000e-05');
    expect(formatExponential(0, 4)).toBe('0.0000e+00');
    expect(formatExponential(-0, 4)).toBe('-0.0000e+00');
    expect(formatExponential(-0.5, 4)).toBe('-5.0000e-01');
    expect(formatExponential(123456, 4)).toBe('1.2346e+05');
    expect(formatExponential(99999.5, 4)).toBe('1.0000e+05'); // tie on 9.9999|5, 9 odd: rounds up and carries
    expect(formatExponential(1e-300, 4)).toBe('1.0000e-300');
  });

  it('nan and inf print as Python prints them', () => {
    expect(formatFixed(NaN, 4)).toBe('nan');
    expect(formatExponential(NaN, 4)).toBe('nan');
    expect(formatFixed(Infinity, 4)).toBe('inf');
    expect(formatFixed(-Infinity, 4)).toBe('-inf');
  });

  it('logged values: %.4f above 1e-3 in magnitude, %.4e otherwise; verbose 2 compares without abs', () => {
    expect(formatLogValue(0.8460)).toBe('0.8460');
    expect(formatLogValue(1e-5)).toBe('1.0000e-05');
    expect(formatLogValue(0.001)).toBe('1.0000e-03'); // not > 1e-3
    expect(formatLogValue(-0.5)).toBe('-0.5000');
    expect(formatLogValue(-0.5, true)).toBe('-5.0000e-01');
    expect(formatLogValue(NaN)).toBe('nan');
  });

  it('repr(float): shortest digits, scientific below 1e-4 and from 1e16', () => {
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(0.0001)).toBe('0.0001');
    expect(pyFloatRepr(1.5e-7)).toBe('1.5e-07');
    expect(pyFloatRepr(-2.5e-5)).toBe('-2.5e-05');
    expect(pyFloatRepr(2)).toBe('2.0');
    expect(pyFloatRepr(123456)).toBe('123456.0');
    expect(pyFloatRepr(1234.5)).toBe('1234.5');
    expect(pyFloatRepr(0.05)).toBe('0.05');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(1e22)).toBe('1e+22');
    expect(pyFloatRepr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(pyFloatRepr(NaN)).toBe('nan');
  });
});

describe('Progbar', () => {
  it('eta as 3s, 1:05 and 1:02:03; time per step in s', () => {
    for (const [target, eta] of [[4, '3s'], [66, '1:05'], [3724, '1:02:03']] as const) {
      const w = captureWriter(true);
      new Progbar(target, { writer: w, clock: fakeClock(0, 1) }).update(1);
      expect(plain(w.text())).toContain(` ${eta} 1s/step`);
    }
  });

  it('draws a TTY line exactly: bold count, green and dim bar, bold eta', () => {
    const w = captureWriter(true);
    new Progbar(4, { writer: w, clock: fakeClock(0, 1) }).update(1, { loss: 0.5 });
    expect(w.text()).toBe(`\r${B}1/4${R} ${bar(5)} ${B}3s${R} 1s/step - loss: 0.5000`);
  });

  it('time per step in us, and in ms leaving out the slow first step', () => {
    const us = captureWriter(true);
    new Progbar(10, { writer: us, clock: fakeClock(0, 0.0005) }).update(1);
    expect(plain(us.text())).toBe(`\r 1/10 ${'━'.repeat(20)} 0s 500us/step`);

    const ms = captureWriter(false);
    const p = new Progbar(3, { writer: ms, clock: fakeClock(0, 1.0, 1.002, 1.004) });
    for (let step = 1; step <= 3; step++) p.update(step);
    expect(ms.text()).toBe(`${B}3/3${R} ${bar(20)} ${B}1s${R} 2ms/step\n`); // (1.004 - 1.0) / 2 steps
  });

  it('redraws in place with backspaces and pads a shorter line with spaces', () => {
    const w = captureWriter(true);
    const p = new Progbar(2, { writer: w, interval: 0, clock: fakeClock(0, 1, 2) });
    p.update(1, { loss: 123.456 });
    p.update(2, { loss: 1 });
    const first = `${B}1/2${R} ${bar(10)} ${B}1s${R} 1s/step - loss: 123.4560`; // 4 + 20 + 3 + 8 + 17 = 52 visible
    const second = `${B}2/2${R} ${bar(20)} ${B}2s${R} 1s/step - loss: 1.0000`; // 50 visible
    expect(w.text()).toBe(`\r${first}${'\b'.repeat(52)}\r${second}  \n`);
  });

  it('redraws at most every interval seconds, and always when finishing', () => {
    const w = captureWriter(true);
    const p = new Progbar(3, { writer: w, clock: fakeClock(0, 0.01, 0.02, 0.03) });
    for (let step = 1; step <= 3; step++) p.update(step);
    expect(w.text().split('\r').length - 1).toBe(2);
  });

  it('without a TTY prints only the finished line', () => {
    const w = captureWriter(false);
    const p = new Progbar(3, { writer: w, interval: 0, clock: fakeClock(0, 1, 2, 3) });
    p.update(1, { loss: 1 });
    p.update(2, { loss: 1 });
    expect(w.text()).toBe('');
    p.update(3, { loss: 0.25 });
    expect(w.text()).toBe(`${B}3/3${R} ${bar(20)} ${B}3s${R} 1s/step - loss: 0.2500\n`);
  });

  it('verbose 2 prints one line at the end, negatives in %.4e, elapsed rounded half to even', () => {
    const w = captureWriter(true);
    const p = new Progbar(2, { verbose: 2, writer: w, clock: fakeClock(0, 0.5, 2.5) });
    p.update(1, { loss: 0.5 });
    expect(w.text()).toBe('');
    p.update(2, { loss: -0.25, acc: 0.0005 });
    expect(w.text()).toBe('2/2 - 2s - 2s/step - loss: -2.5000e-01 - acc: 5.0000e-04\n');
  });

  it('an unknown target shows the step count', () => {
    const w = captureWriter(false);
    new Progbar(null, { writer: w, clock: fakeClock(0, 0.5) }).update(5, {}, true);
    expect(w.text()).toBe(`      5/Unknown ${B}0s${R} 100ms/step\n`);
  });

  it('averages stateless metrics over steps; others print as reported', () => {
    const w = captureWriter(true);
    const p = new Progbar(3, { writer: w, interval: 0, statelessMetrics: ['loss'], clock: fakeClock(0, 1, 2) });
    p.update(1, { loss: 1, acc: 0.5 });
    p.update(2, { loss: 3, acc: 0.75 });
    expect(plain(w.text()).split('\r').at(-1)).toContain('- loss: 2.0000 - acc: 0.7500');
  });
});
