// The WebAssembly kernels of @tapegrad/tensor (AssemblyScript, compiled by scripts/build-wasm.mjs into
// packages/tensor/wasm/kernels.wasm): the float32 gemm and conv2d's im2col/col2im.
export { blocking, gemm, workBytes } from './gemm';
export { patches, zero } from './im2col';
