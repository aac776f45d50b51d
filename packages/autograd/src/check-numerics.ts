// Check mode for numerics: when on, every op's output and every gradient is checked for NaN and infinity.
import { type Tensor, formatShape } from '@tapegrad/tensor';

let enabled = false;

/**
 * Switches the numerics check on or off (default off). When on, an op that produces NaN or ±Infinity
 * throws at once, naming the op, its input shapes and the first bad element, instead of letting the
 * NaN spread (like `tf.debugging.enable_check_numerics`). It costs one pass over every result.
 *
 * @example
 * ```ts
 * setCheckNumerics(true);
 * log(tensor([-1])); // throws: log: produced NaN at [0] ...
 * ```
 */
export function setCheckNumerics(on: boolean): void {
  enabled = on;
}

/** Whether the numerics check is on. */
export function checkNumericsEnabled(): boolean {
  return enabled;
}

/**
 * Throws when `t` holds NaN or ±Infinity, naming `what` (an op or a gradient) and `inputs`' shapes.
 * Does nothing unless the check mode is on.
 */
export function checkFinite(what: string, t: Tensor, inputs: readonly Tensor[] = []): void {
  if (!enabled) return;
  const flat = t.isContiguous ? t.data.subarray(t.offset, t.offset + t.size) : t.toTypedArray();
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (v - v !== 0) {
      const index: number[] = [];
      let rest = i;
      for (let a = t.rank - 1; a >= 0; a--) {
        index.unshift(rest % t.shape[a]);
        rest = Math.floor(rest / t.shape[a]);
      }
      const shapes = inputs.map((x) => formatShape(x.shape)).join(', ');
      throw new Error(
        `${what}: produced ${v} at [${index.join(', ')}] of a result of shape ${formatShape(t.shape)}` +
          (inputs.length ? ` (inputs ${shapes})` : '') +
          ' [numerics check mode is on: setCheckNumerics(false) to allow non-finite values]',
      );
    }
  }
}
