// Turning layer options (initializers, regularizers, constraints) into JSON for saved configs.
import { type InitializerConfig, type InitializerIdentifier, getInitializer } from './initializers.js';
import type { RegularizerConfig, Regularizer } from './regularizers.js';
import type { Constraint, ConstraintConfig } from './constraints.js';

/** An initializer option as JSON: its name when given by name, else its config. */
export function serializeInitializer(id: InitializerIdentifier): string | InitializerConfig {
  return typeof id === 'string' ? id : getInitializer(id).getConfig();
}

/** A regularizer or constraint option as JSON (null when absent). */
export function serializeOptional(
  id: string | Regularizer | Constraint | RegularizerConfig | ConstraintConfig | null | undefined,
): string | RegularizerConfig | ConstraintConfig | null {
  if (id === undefined || id === null) return null;
  if (typeof id === 'string') return id;
  return 'getConfig' in id ? id.getConfig() : id;
}
