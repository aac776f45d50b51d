// The recording state: which tapes are active, and the one function through which every op is recorded.
import type { Tensor } from '@tapegrad/tensor';
import { Variable } from './variable.js';

/**
 * The gradients of an op's inputs, computed from its output's gradient `g` (null: no gradient).
 * `needs[i]` says whether input i wants one; a VJP may skip the others.
 */
export type VjpFn = (g: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];

/** One recorded op: what ran, on what, and how to send a gradient back through it. */
export interface TapeRecord {
  /** Position on its tape, from 1. */
  readonly id: number;
  /** The op's name, e.g. `matmul`. */
  readonly op: string;
  /** The op's tensor inputs, in order. */
  readonly inputs: readonly Tensor[];
  /** The op's output. */
  readonly output: Tensor;
  /** Which inputs this tape wants gradients for (tracked by it when the op ran). */
  readonly needs: readonly boolean[];
  /** The vector-Jacobian product. */
  readonly vjp: VjpFn;
  /** Versions of the Variable inputs when the op ran (-1 for other inputs), to detect later assignments. */
  readonly versions: readonly number[];
}

/** What the recorder needs of a tape: whether it tracks a tensor, and where to append records. */
export interface Recording {
  /** False while the tape is paused (during its own gradient computation). */
  readonly recording: boolean;
  /** Whether the tape follows `t` (watched, a trainable variable it watches, or an output it recorded). */
  tracks(t: Tensor): boolean;
  /** Appends a record made of these parts. */
  append(op: string, inputs: readonly Tensor[], output: Tensor, needs: boolean[], vjp: VjpFn, versions: number[]): void;
}

const active: Recording[] = [];
// Tapes at positions below `floor` are paused by noGrad; a tape activated inside noGrad sits above it and records.
let floor = 0;

/** Makes a tape active: ops whose inputs it tracks are recorded on it until {@link deactivate}. */
export function activate(tape: Recording): void {
  active.push(tape);
}

/** Ends a tape's activity (tapes are deactivated in the reverse order of activation). */
export function deactivate(tape: Recording): void {
  const i = active.lastIndexOf(tape);
  if (i >= 0) active.splice(i, 1);
}

/** True when some tape would record an op now: the cheap test that lets untracked code skip all bookkeeping. */
export function isRecording(): boolean {
  return active.length > floor;
}

/** The active tapes, innermost last. */
export function activeTapes(): readonly Recording[] {
  return active;
}

/**
 * Runs `fn` with recording switched off on every tape active when it is called (like PyTorch's `no_grad`).
 * A tape run inside `fn` still records its own ops (like TensorFlow's `tape.stop_recording()`), so `grad`
 * works inside noGrad, and a gradient check can evaluate a function that takes gradients itself.
 * @example
 * ```ts
 * const y = noGrad(() => mul(x, 2)); // not on any tape
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const saved = floor;
  floor = active.length;
  try {
    return fn();
  } finally {
    floor = saved;
  }
}

/**
 * Records an op on every active tape that tracks one of its inputs. Called by `defineOp` and by
 * `customGradient`; nothing else writes to tapes.
 */
export function record(op: string, inputs: readonly Tensor[], output: Tensor, vjp: VjpFn): void {
  if (!isRecording()) return;
  let versions: number[] | null = null; // the same for every tape: made once, for the first tape that records
  for (let t = floor; t < active.length; t++) {
    const tape = active[t];
    if (!tape.recording) continue;
    let needs: boolean[] | null = null;
    for (let i = 0; i < inputs.length; i++) {
      if (tape.tracks(inputs[i])) {
        needs ??= new Array<boolean>(inputs.length).fill(false);
        needs[i] = true;
      }
    }
    if (needs === null) continue;
    if (versions === null) {
      versions = new Array<number>(inputs.length);
      for (let i = 0; i < inputs.length; i++) versions[i] = inputs[i] instanceof Variable ? (inputs[i] as Variable).version : -1;
    }
    tape.append(op, inputs, output, needs, vjp, versions);
  }
}

const constantOutputs = new WeakMap<Tensor, string>();

/**
 * Notes that `output` came from a non-differentiable op (argmax, a comparison) while recording was on,
 * so that asking for its gradient can say why there is none.
 */
export function markConstant(output: Tensor, op: string): void {
  if (isRecording()) constantOutputs.set(output, op);
}

/** The non-differentiable op that produced `t`, if {@link markConstant} noted one. */
export function constantSource(t: Tensor): string | undefined {
  return constantOutputs.get(t);
}
