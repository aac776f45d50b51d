// String identifiers (activations, initializers, losses, metrics, optimizers) in Keras's snake_case or in camelCase.

/** The lookup key of an identifier: `'he_uniform'`, `'heUniform'` and `'HeUniform'` all become `'heuniform'`. */
export function identifierKey(name: string): string {
  return name.replace(/_/g, '').toLowerCase();
}

/** `'heUniform'` → `'he_uniform'` (Keras's spelling, used in saved configs and messages). */
export function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * Finds `name` in a table keyed by Keras's snake_case names, accepting camelCase too.
 * @throws Error naming the kind of thing and listing every valid name.
 */
export function lookup<T>(kind: string, name: string, table: Readonly<Record<string, T>>): T {
  const key = identifierKey(name);
  for (const [k, v] of Object.entries(table)) if (identifierKey(k) === key) return v;
  const valid = Object.keys(table).sort().map((k) => `'${k}'`).join(', ');
  throw new Error(`Unknown ${kind} '${name}'. Valid ${kind === 'loss' ? 'losses' : kind + 's'}: ${valid} (snake_case or camelCase)`);
}
