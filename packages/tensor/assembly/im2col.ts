// im2col and col2im for conv2d on NHWC images (see packages/tensor/src/kernels/conv2d-wasm.ts), the WebAssembly
// twins of `patches` in packages/tensor/src/kernels/conv2d.ts.
//
// Row r of the patch matrix holds the input cells under output pixel r, in (ky, kx, c) order, 0 where the
// window hangs over the padding. The geometry is 13 i32 at `geom`: inH, inW, C, kh, kw, sh, sw, dh, dw, outH,
// outW, padTop, padLeft. Addresses are byte offsets; cells are float32.

// @ts-ignore: decorator
@inline function geometry(geom: usize, slot: i32): i32 {
  return load<i32>(geom + (<usize>slot << 2));
}

/** dst[0 .. count) += src[0 .. count), four lanes at a time. */
function addRun(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4, dst += 16, src += 16) v128.store(dst, f32x4.add(v128.load(dst), v128.load(src)));
  for (; i < count; i++, dst += 4, src += 4) store<f32>(dst, load<f32>(dst) + load<f32>(src));
}

/**
 * Rows r0 .. r1-1 of the patch matrix of the NHWC input at `x`, written to `cols` (row after row, kh·kw·C cells
 * each); or, when `scatter` is non-zero, the reverse (col2im): those rows of `cols` added into `x` at the cells
 * they were read from.
 */
export function patches(geom: usize, x: usize, r0: i32, r1: i32, cols: usize, scatter: i32): void {
  const inH = geometry(geom, 0), inW = geometry(geom, 1), C = geometry(geom, 2);
  const kh = geometry(geom, 3), kw = geometry(geom, 4), sh = geometry(geom, 5), sw = geometry(geom, 6);
  const dh = geometry(geom, 7), dw = geometry(geom, 8), outH = geometry(geom, 9), outW = geometry(geom, 10);
  const padTop = geometry(geom, 11), padLeft = geometry(geom, 12);
  const pixels = outH * outW;
  let n = r0 / pixels;
  let oy = (r0 - n * pixels) / outW;
  let ox = r0 - n * pixels - oy * outW;
  const runBytes = <usize>(kw * C) << 2; // one window row: kw taps of C cells
  const cellBytes = <usize>C << 2;
  let o = cols;
  for (let r = r0; r < r1; r++) {
    const image = x + ((<usize>n * <usize>inH * <usize>inW * <usize>C) << 2);
    const y0 = oy * sh - padTop;
    const x0 = ox * sw - padLeft;
    const inside = dw == 1 && x0 >= 0 && x0 + kw <= inW; // the kw taps are one contiguous run
    for (let ky = 0; ky < kh; ky++) {
      const iy = y0 + ky * dh;
      if (iy < 0 || iy >= inH) {
        if (!scatter) memory.fill(o, 0, runBytes);
        o += runBytes;
      } else if (inside) {
        const src = image + ((<usize>(iy * inW + x0) * <usize>C) << 2);
        if (scatter) addRun(src, o, kw * C);
        else memory.copy(o, src, runBytes);
        o += runBytes;
      } else {
        for (let kx = 0; kx < kw; kx++, o += cellBytes) {
          const ix = x0 + kx * dw;
          if (ix < 0 || ix >= inW) {
            if (!scatter) memory.fill(o, 0, cellBytes);
          } else {
            const src = image + ((<usize>(iy * inW + ix) * <usize>C) << 2);
            if (scatter) addRun(src, o, C);
            else memory.copy(o, src, cellBytes);
          }
        }
      }
    }
    if (++ox == outW) {
      ox = 0;
      if (++oy == outH) {
        oy = 0;
        n++;
      }
    }
  }
}

/** Sets `bytes` bytes at `dst` to zero. */
export function zero(dst: usize, bytes: usize): void {
  memory.fill(dst, 0, bytes);
}
