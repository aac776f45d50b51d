// getOptimizer: optimizers from Keras's string identifiers or from saved configs ({ className, config }).
import { lookup } from '../identifiers.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { ExponentialDecay, type ExponentialDecayOptions, type LearningRateSchedule } from './schedules.js';
import { SGD } from './sgd.js';

/** An optimizer by name ('adam', 'rmsprop', …), an Optimizer instance, or a saved `{ className, config }`. */
export type OptimizerIdentifier = string | Optimizer | { className: string; config: object };

type Options = OptimizerOptions & Record<string, unknown>;

/** Keras's string identifiers, each making an optimizer from (camelCase) options. */
const byName: Readonly<Record<string, (options: Options) => Optimizer>> = {
  sgd: (o) => new SGD(o),
  adam: (o) => new Adam(o),
  adamw: (o) => new AdamW(o),
  rmsprop: (o) => new RMSprop(o),
  adagrad: (o) => new Adagrad(o),
};

/** Learning-rate schedules a saved config can name, each rebuilt from its config. */
const schedules: Readonly<Record<string, (config: Record<string, unknown>) => LearningRateSchedule>> = {
  ExponentialDecay: (c) => new ExponentialDecay(c as unknown as ExponentialDecayOptions),
};

/** A saved learning rate: a number as is, a `{ className, config }` schedule rebuilt. */
function learningRateFrom(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const { className, config } = value as { className?: unknown; config?: unknown };
  if (typeof className !== 'string' || typeof config !== 'object' || config === null) {
    throw new Error(`getOptimizer: a learningRate object must be a schedule config { className, config }, got ${JSON.stringify(value)}`);
  }
  return lookup('learning rate schedule', className, schedules)(config as Record<string, unknown>);
}

/**
 * The optimizer an identifier names. A string ('sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', in snake_case or
 * camelCase, any letter case) gives an optimizer with Keras's defaults; an Optimizer is returned as is; a
 * `{ className, config }` object, with `config` from {@link Optimizer.getConfig}, is rebuilt (an ExponentialDecay
 * learning rate included).
 * @throws Error listing the valid names for an unknown one, or when the config has an option the class does not take.
 * @example
 * ```ts
 * getOptimizer('rmsprop'); // new RMSprop()
 * const copy = getOptimizer({ className: Adam.className, config: new Adam({ amsgrad: true }).getConfig() });
 * ```
 */
export function getOptimizer(id: OptimizerIdentifier): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id === 'string') return lookup('optimizer', id, byName)({});
  if (typeof id !== 'object' || id === null || typeof id.className !== 'string') {
    throw new Error(`getOptimizer: expected a name, an Optimizer or { className, config }, got ${String(id)}`);
  }
  const make = lookup('optimizer', id.className, byName);
  const options: Options = { ...(id.config ?? {}) };
  if ('learningRate' in options) options.learningRate = learningRateFrom(options.learningRate) as Options['learningRate'];
  return make(options);
}
