// Variable: trainable state. A tensor whose values can be assigned in place, with a name and a trainable flag.
import { type DType, type TensorValues, Tensor, allocate, formatShape, shapesEqual, tensor } from '@tapegrad/tensor';

let nextVariable = 0;

/** Options of a new {@link Variable}. */
export interface VariableOptions {
  /** A name for printouts and saved files; default `variable_<n>`. */
  name?: string;
  /** Whether tapes watch it and optimizers update it; default true. */
  trainable?: boolean;
  /** Element type when the initial value is not already a tensor; default float32. */
  dtype?: DType;
}

/**
 * A tensor that can change in place: a model's weights and an optimizer's state (like `tf.Variable`).
 *
 * Every active {@link GradientTape} watches trainable variables automatically, so gradients with
 * respect to them need no `watch()` call. `assign` writes new values into the same storage; a tape
 * that recorded an op reading the variable before the assignment refuses to differentiate through it.
 *
 * @example
 * ```ts
 * const w = new Variable(tensor([[1, 2]]), { name: 'w' });
 * w.assign(tensor([[3, 4]]));
 * w.toArray(); // [[3, 4]]
 * ```
 */
export class Variable extends Tensor {
  /** The name shown by printouts, summaries and saved files. */
  name: string;
  /** Whether tapes watch this variable and optimizers update it. */
  trainable: boolean;
  private _version = 0;

  /** A variable holding a private contiguous copy of `initial`. */
  constructor(initial: Tensor | TensorValues, options: VariableOptions = {}) {
    const value = initial instanceof Tensor ? initial : tensor(initial, undefined, options.dtype);
    const dtype = options.dtype ?? value.dtype;
    const data = dtype === value.dtype ? value.toTypedArray() : allocate(dtype, value.size);
    if (dtype !== value.dtype) data.set(value.toTypedArray()); // converts float32 <-> float64
    super(data, value.shape.slice());
    this.name = options.name ?? `variable_${nextVariable++}`;
    this.trainable = options.trainable ?? true;
  }

  /** How many times the values were assigned; tapes use it to detect changes after recording. */
  get version(): number {
    return this._version;
  }

  /**
   * Overwrites the values with those of `value` (same shape; a number fills every element).
   * @throws Error naming the variable when the shapes differ.
   */
  assign(value: Tensor | number): this {
    if (typeof value === 'number') {
      this.data.fill(value);
    } else {
      if (!shapesEqual(value.shape, this.shape)) {
        throw new Error(
          `Variable '${this.name}': cannot assign a value of shape ${formatShape(value.shape)} to a variable of shape ${formatShape(this.shape)}`,
        );
      }
      this.data.set(value.isContiguous ? value.data.subarray(value.offset, value.offset + value.size) : value.toTypedArray());
    }
    this.markChanged();
    return this;
  }

  /**
   * Records that the values were changed in place (optimizers that write `data` directly call this).
   * Tapes compare versions to refuse gradients through stale values.
   */
  markChanged(): void {
    this._version++;
  }
}

