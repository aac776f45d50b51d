// Unique default names per session, as Keras gives them: dense, dense_1, dense_2, ...
const counts = new Map<string, number>();

/** A name not given before in this session: `base` the first time, then `base_1`, `base_2`, ... */
export function uniqueName(base: string): string {
  const n = counts.get(base) ?? 0;
  counts.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Forgets the names given so far (Keras's `clear_session` for names): the next Dense is `dense` again. */
export function resetNames(): void {
  counts.clear();
}

/** `BatchNormalization` → `batch_normalization`, `ReLU` → `re_lu`, `Conv2D` → `conv2d` (Keras's rule). */
export function snakeCaseClassName(className: string): string {
  return className
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
