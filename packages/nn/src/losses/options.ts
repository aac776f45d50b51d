// Small helpers shared by the loss and metric classes: checking option names, and warnings printed once.

/**
 * Throws when `options` has a key the class does not take, naming the camelCase spelling of a snake_case one
 * (`from_logits` → `fromLogits`). `reduction` and `name` are always accepted.
 * @example `checkOptionNames('BinaryCrossentropy', options, ['fromLogits', 'labelSmoothing', 'axis'])`
 */
export function checkOptionNames(className: string, options: object, accepted: readonly string[]): void {
  const valid = [...accepted, 'reduction', 'name'];
  const unknown = Object.keys(options).filter((k) => !valid.includes(k));
  if (unknown.length === 0) return;
  const hints = unknown.map((k) => {
    const camel = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    return camel !== k && valid.includes(camel) ? `${k} (spelled '${camel}' here)` : k;
  });
  throw new Error(`${className}: option(s) not recognized: ${hints.join(', ')}; valid options: ${valid.join(', ')}`);
}

const warned = new Set<string>();

/**
 * Prints `message` with console.warn the first time it is seen (Keras's Python warnings show once per place).
 * @example `warnOnce('categorical_crossentropy: expected num_classes > 1')`
 */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}
