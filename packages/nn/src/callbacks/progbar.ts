// Progbar: Keras 3's progress bar (keras/src/utils/progbar.py) and the Python number formats its lines use.

/** Where printed output goes: `process.stdout` by default, any object with `write` in tests. */
export interface TextWriter {
  write(chunk: string): unknown;
  /** True for a terminal: the bar is then redrawn in place. */
  isTTY?: boolean;
}

/**
 * Writes `message` and a newline (Keras `io_utils.print_msg`).
 * @example `printMsg('Epoch 4: early stopping')` prints `Epoch 4: early stopping\n` on stdout
 */
export function printMsg(message: string, writer: TextWriter = process.stdout): void {
  writer.write(`${message}\n`);
}

// ---------------------------------------------------------------- Python's number formats

/** x = int / 10^scale exactly (every finite double is a finite decimal). */
function exactDecimal(x: number): { neg: boolean; int: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const bits = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (bits !== 0) mantissa |= 1n << 52n;
  const e2 = bits === 0 ? -1074 : bits - 1075; // x = mantissa * 2^e2 = mantissa * 5^-e2 / 10^-e2
  const neg = hi >>> 31 === 1;
  return e2 >= 0 ? { neg, int: mantissa << BigInt(e2), scale: 0 } : { neg, int: mantissa * 5n ** BigInt(-e2), scale: -e2 };
}

/** n / div rounded half to even (Python's rounding of exact ties). */
function divHalfEven(n: bigint, div: bigint): bigint {
  const q = n / div;
  const twice = 2n * (n % div);
  return twice > div || (twice === div && q % 2n === 1n) ? q + 1n : q;
}

function special(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  return x === -Infinity ? '-inf' : null;
}

/**
 * Python's `%.{digits}f`: exact decimal value rounded half to even (JS `toFixed` rounds ties up), `nan`, `inf`, `-0.0000`.
 * @example `formatFixed(0.03125, 4)` is `'0.0312'`; `formatFixed(2.5, 0)` is `'2'`
 */
export function formatFixed(x: number, digits: number): string {
  const s = special(x);
  if (s !== null) return s;
  const { neg, int, scale } = exactDecimal(x);
  const q = scale <= digits ? int * 10n ** BigInt(digits - scale) : divHalfEven(int, 10n ** BigInt(scale - digits));
  const str = q.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? str : `${str.slice(0, -digits)}.${str.slice(-digits)}`;
  return (neg ? '-' : '') + body;
}

/**
 * Python's `%.{digits}e`: mantissa rounded half to even, exponent signed with at least two digits.
 * @example `formatExponential(1e-5, 4)` is `'1.0000e-05'`; `formatExponential(0, 4)` is `'0.0000e+00'`
 */
export function formatExponential(x: number, digits: number): string {
  const s = special(x);
  if (s !== null) return s;
  const { neg, int, scale } = exactDecimal(x);
  let kept = '0'.repeat(digits + 1);
  let exp = 0;
  if (int !== 0n) {
    const all = int.toString();
    exp = all.length - 1 - scale;
    if (all.length <= digits + 1) kept = all.padEnd(digits + 1, '0');
    else {
      kept = divHalfEven(int, 10n ** BigInt(all.length - digits - 1)).toString();
      if (kept.length > digits + 1) [kept, exp] = [kept.slice(0, digits + 1), exp + 1]; // 9.99995 -> 1.0000e+01
    }
  }
  const mantissa = digits === 0 ? kept : `${kept[0]}.${kept.slice(1)}`;
  return `${neg ? '-' : ''}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/**
 * Python's `repr(float)` (what `f"{x}"` prints): shortest round-trip digits, scientific below 1e-4 or from 1e16.
 * @example `pyFloatRepr(1e-5)` is `'1e-05'`; `pyFloatRepr(0.001)` is `'0.001'`; `pyFloatRepr(2)` is `'2.0'`
 */
export function pyFloatRepr(x: number): string {
  const s = special(x);
  if (s !== null) return s;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [m, e] = Math.abs(x).toExponential().split('e'); // shortest digits that round-trip, as Python
  const digits = m.replace('.', '');
  const exp = Number(e);
  let body: string;
  if (exp < -4 || exp >= 16) body = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  else if (exp < 0) body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) body = `${digits.padEnd(exp + 1, '0')}.0`;
  else body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return (x < 0 ? '-' : '') + body;
}

/**
 * A logged value as the bar prints it: `%.4f` if |v| > 1e-3, else `%.4e`. The verbose=2 line tests `v > 1e-3`
 * without abs (`signed: true`), so negatives print as `%.4e` there, as in Keras.
 * @example `formatLogValue(0.35612)` is `'0.3561'`; `formatLogValue(1e-5)` is `'1.0000e-05'`; `formatLogValue(-2, true)` is `'-2.0000e+00'`
 */
export function formatLogValue(v: number, signed = false): string {
  return (signed ? v : Math.abs(v)) > 1e-3 ? formatFixed(v, 4) : formatExponential(v, 4);
}

/** ` 3ms/step`: `%.0fs` from 1 s (or exactly 0), `%.0fms` from 1 ms, else `%.0fus` (Keras `_format_time`). */
function formatTimePerUnit(t: number, unit: string): string {
  if (t >= 1 || t === 0) return ` ${formatFixed(t, 0)}s/${unit}`;
  if (t >= 1e-3) return ` ${formatFixed(t * 1000, 0)}ms/${unit}`;
  return ` ${formatFixed(t * 1e6, 0)}us/${unit}`;
}

/** `3s`, `1:05` or `1:02:03`, truncated as Python's `%d`. */
function formatEta(eta: number): string {
  const two = (v: number): string => String(Math.trunc(v)).padStart(2, '0');
  if (eta > 3600) return `${Math.trunc(eta / 3600)}:${two((eta % 3600) / 60)}:${two(eta % 60)}`;
  if (eta > 60) return `${Math.trunc(eta / 60)}:${two(eta % 60)}`;
  return `${Math.trunc(eta)}s`;
}

// ---------------------------------------------------------------- the bar

const BOLD = '\x1b[1m';
const GREEN = '\x1b[32m';
const DIM = '\x1b[37m';
const RESET = '\x1b[0m';
const visibleLength = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;

/** Options of {@link Progbar} (Keras's arguments, camelCased, plus where to write and which clock to read). */
export interface ProgbarOptions {
  /** Characters in the bar; default 20. */
  width?: number;
  /** 0 silent, 1 the bar, 2 one line when finished; default 1. */
  verbose?: number;
  /** Least seconds between two redraws of an unfinished bar; default 0.05. */
  interval?: number;
  /** Names whose values are averaged over steps before display; default none: values print as reported (Keras 3.16). */
  statelessMetrics?: readonly string[];
  /** Unit of the time per step; default 'step'. */
  unitName?: string;
  /** Default `process.stdout`. */
  writer?: TextWriter;
  /** Redraw in place with `\b...\r`; default `writer.isTTY`. When false only the finished line is printed. */
  dynamic?: boolean;
  /** The time in seconds; default `performance.now() / 1000`. */
  clock?: () => number;
}

/**
 * A progress bar (Keras `utils.Progbar`): `{step}/{target} {20 ━, int(20*step/target) green} {eta} {time}/step - key: value ...`,
 * redrawn in place at most every `interval` seconds; the finishing line shows elapsed seconds and ends the line.
 * Time per step leaves out the first step once later ones have run. verbose=2 prints `{step}/{target} - 0s - 3ms/step - ...` once.
 *
 * Porting note: when the writer is not a terminal (CI logs, files), only each bar's finished line is printed. Keras instead
 * treats every POSIX stdout as a terminal (`"posix" in sys.modules`) and redraws there too; its non-dynamic branch prints
 * each redraw on a new line.
 * @example
 * ```ts
 * const bar = new Progbar(16);
 * for (let step = 1; step <= 16; step++) bar.update(step, { loss: 0.35 }, step === 16);
 * // 16/16 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - loss: 0.3500
 * ```
 */
export class Progbar {
  /** Steps expected; null when unknown (the bar then shows `{step}/Unknown`). */
  target: number | null;
  readonly width: number;
  readonly verbose: number;
  readonly interval: number;
  readonly unitName: string;
  private readonly writer: TextWriter;
  private readonly dynamic: boolean;
  private readonly clock: () => number;
  private readonly stateless: ReadonlySet<string>;
  private readonly values = new Map<string, [number, number]>(); // [sum, count], insertion order = display order
  private readonly start: number;
  private seenSoFar = 0;
  private lastUpdate = -Infinity; // Keras starts at 0 on an epoch-based clock: the first update always draws
  private timeAfterFirstStep: number | null = null;
  private prevTotalWidth = 0;

  constructor(target: number | null, options: ProgbarOptions = {}) {
    this.target = target;
    this.width = options.width ?? 20;
    this.verbose = options.verbose ?? 1;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    this.writer = options.writer ?? process.stdout;
    this.dynamic = options.dynamic ?? this.writer.isTTY === true;
    this.clock = options.clock ?? (() => performance.now() / 1000);
    this.stateless = new Set(options.statelessMetrics ?? []);
    this.start = this.clock();
  }

  /**
   * Shows step `current` (1-based) with `values`. `finalize` (default `current >= target`) draws the finished line.
   * @example `bar.update(3, { accuracy: 0.84, loss: 0.36 })`
   */
  update(current: number, values: Readonly<Record<string, number>> | readonly (readonly [string, number])[] = {}, finalize?: boolean): void {
    const done = finalize ?? (this.target !== null && current >= this.target);
    for (const [k, v] of Array.isArray(values) ? values : Object.entries(values)) this.record(k, v, current, done);
    this.seenSoFar = current;
    const now = this.clock();
    const timePerUnit = this.estimateStepDuration(current, now);
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !done) return;
      this.draw(current, now, timePerUnit, done);
    } else if (this.verbose === 2 && done && this.target !== null && this.target > 0) {
      let line = `${this.count(current, this.target)} - ${formatFixed(now - this.start, 0)}s -${formatTimePerUnit(timePerUnit, this.unitName)}`;
      for (const k of this.values.keys()) line += ` - ${k}: ${formatLogValue(this.average(k), true)}`;
      this.writer.write(`${line}\n`);
    }
    this.lastUpdate = now;
  }

  /** Advances by `n` steps (Keras `add`). */
  add(n: number, values?: Readonly<Record<string, number>>): void {
    this.update(this.seenSoFar + n, values);
  }

  private record(k: string, v: number, current: number, done: boolean): void {
    if (!this.stateless.has(k) || done) {
      this.values.set(k, [v, 1]); // as reported; a finished bar shows the final logs exactly
      return;
    }
    const base = Math.max(current - this.seenSoFar, 1);
    const prev = this.values.get(k);
    if (prev === undefined) this.values.set(k, [v * base, base]);
    else {
      prev[0] += v * base;
      prev[1] += base;
    }
  }

  private average(k: string): number {
    const [sum, count] = this.values.get(k) as [number, number];
    return sum / Math.max(1, count);
  }

  private count(current: number, target: number): string {
    return `${String(Math.trunc(current)).padStart(String(Math.trunc(target)).length, ' ')}/${target}`;
  }

  /** The verbose=1 line: in place on a terminal; elsewhere only when finished. */
  private draw(current: number, now: number, timePerUnit: number, done: boolean): void {
    if (!this.dynamic && !done) return;
    let bar: string;
    const known = this.target !== null && this.target > 0;
    if (known) {
      const target = this.target as number;
      const filled = Math.trunc(this.width * (current / target)); // Keras: int(width * (current / target))
      bar = `${BOLD}${this.count(current, target)}${RESET} `;
      if (filled > 0) bar += `${GREEN}${'━'.repeat(filled)}${RESET}`;
      bar += `${DIM}${'━'.repeat(Math.max(this.width - filled, 0))}${RESET}`;
    } else {
      bar = `${String(current).padStart(7, ' ')}/Unknown`;
    }
    const time = known && !done ? formatEta(timePerUnit * ((this.target as number) - current)) : `${formatFixed(now - this.start, 0)}s`;
    let info = ` ${BOLD}${time}${RESET}${formatTimePerUnit(timePerUnit, this.unitName)}`;
    for (const k of this.values.keys()) info += ` - ${k}: ${formatLogValue(this.average(k))}`;
    const totalWidth = visibleLength(bar + info);
    let message = this.dynamic ? `${'\b'.repeat(this.prevTotalWidth)}\r${bar}${info}` : bar + info;
    if (this.dynamic && this.prevTotalWidth > totalWidth) message += ' '.repeat(this.prevTotalWidth - totalWidth);
    if (done) message += '\n';
    this.writer.write(message);
    this.prevTotalWidth = totalWidth;
  }

  /** Seconds per step; after step 1, the time since step 1 over the steps since (Keras `_estimate_step_duration`). */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const t = this.timeAfterFirstStep !== null && current > 1 ? (now - this.timeAfterFirstStep) / (current - 1) : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return t;
  }
}
