// Vitest global setup: rebuilds the WebAssembly kernels first when a build is missing or older than its source,
// so that the tests never run a stale kernels.wasm after an edit of packages/tensor/assembly/.
import { buildWasm } from './build-wasm.mjs';

export default async function setup() {
  await buildWasm({ ifStale: true });
}
