// Compiles the WebAssembly kernels (AssemblyScript sources in packages/tensor/assembly/) into packages/tensor/wasm/.
// Runs on `pnpm install` (the root postinstall), on `pnpm build:wasm`, and before the tests when a build is
// missing or older than its source (vitest's global setup). The compiler is the assemblyscript dev dependency
// (plain JavaScript plus binaryen.js: nothing is downloaded). Without it, this warns and exits 0: tapegrad then
// runs its TypeScript kernels.
//   node scripts/build-wasm.mjs [--if-stale]
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const at = (relative) => fileURLToPath(new URL(relative, root));

/** The modules to build (each from the entry file of its folder). The memory flags must agree with
 * packages/tensor/src/kernels/wasm-runtime.ts. */
export const WASM_MODULES = [
  {
    source: 'packages/tensor/assembly/index.ts',
    output: 'packages/tensor/wasm/kernels.wasm',
    flags: [
      '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--enable', 'threads',
      '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '32768',
    ],
  },
];

const mtime = (path) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
};

/**
 * Builds every module (or, with `ifStale`, those whose output is missing or older than its source or this
 * script). Returns false when the compiler is not installed.
 */
export async function buildWasm({ ifStale = false, quiet = false } = {}) {
  const self = fileURLToPath(import.meta.url);
  const todo = WASM_MODULES.filter((m) => {
    if (!ifStale) return true;
    const out = mtime(at(m.output));
    const folder = at(m.source.slice(0, m.source.lastIndexOf('/') + 1));
    const sources = readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => mtime(folder + f));
    return sources.some((t) => out < t) || out < mtime(self);
  });
  if (todo.length === 0) return true;
  let asc;
  try {
    asc = (await import('assemblyscript/asc')).default;
  } catch (e) {
    console.warn(`build-wasm: the assemblyscript compiler is not installed (${e.message}); tapegrad will use its TypeScript kernels`);
    return false;
  }
  for (const m of todo) {
    const out = at(m.output);
    const tmp = `${out}.${process.pid}.tmp`;
    mkdirSync(at(m.output.slice(0, m.output.lastIndexOf('/') + 1)), { recursive: true });
    const t0 = performance.now();
    const { error, stderr } = await asc.main([at(m.source), ...m.flags, '--outFile', tmp]);
    if (error) {
      rmSync(tmp, { force: true });
      throw new Error(`build-wasm: compiling ${m.source} failed: ${error.message}\n${stderr.toString()}`);
    }
    renameSync(tmp, out); // atomic: a concurrent reader sees the old file or the new one, never half of one
    if (!quiet) console.log(`build-wasm: ${m.source} → ${m.output} (${Math.round(performance.now() - t0)} ms)`);
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWasm({ ifStale: process.argv.includes('--if-stale') }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
