// Kernels: decode raw .npy element bytes of any supported dtype and byte order into float64, with
// numpy `astype(float64)` semantics (int64/uint64 round to nearest even, float16 converted exactly,
// bool byte != 0 -> 1.0). The host copies one file window into the arena once; decoding writes the f64
// block that every statistics kernel reads, optionally with a destination stride so Fortran-order
// column runs land in row-major blocks without another copy.

/** Dtype kind codes shared with src/engine/stream.ts (DTYPE_KIND_CODE). */
export const DECODE_BOOL: i32 = 0;
export const DECODE_INT: i32 = 1;
export const DECODE_UINT: i32 = 2;
export const DECODE_FLOAT: i32 = 3;

// float16 -> float64, exact (every half value is representable in double).
@inline
function halfToF64(h: u32): f64 {
  const sign: f64 = (h & 0x8000) != 0 ? -1.0 : 1.0;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp == 0) return sign * <f64>mant * 5.9604644775390625e-8; // 2^-24
  if (exp == 31) return mant == 0 ? sign * Infinity : NaN;
  // 2^(exp-25) built from its bits: exact, and no libm call per element.
  return sign * <f64>(mant | 0x400) * reinterpret<f64>(<u64>(<i32>exp - 25 + 1023) << 52);
}

/**
 * Decodes `n` elements at `src` (kind DECODE_*, `itemSize` bytes, little endian when `little` != 0)
 * into f64 at `dst`, writing element i to dst + i * dstStride * 8.
 */
export function decode_to_f64(src: usize, n: i32, kind: i32, itemSize: i32, little: i32, dst: usize, dstStride: i32): void {
  const step = <usize>dstStride << 3;
  const le = little != 0;
  if (kind == DECODE_FLOAT && itemSize == 8) {
    if (le && dstStride == 1) {
      memory.copy(dst, src, <usize>n << 3);
      return;
    }
    for (let i = 0; i < n; i++) {
      let b = load<u64>(src + (<usize>i << 3));
      if (!le) b = bswap<u64>(b);
      store<f64>(dst + <usize>i * step, reinterpret<f64>(b));
    }
    return;
  }
  if (kind == DECODE_FLOAT && itemSize == 4) {
    let i = 0;
    if (le && dstStride == 1) {
      if (ASC_FEATURE_SIMD) {
        for (; i + 4 <= n; i += 4) {
          const v = v128.load(src + (<usize>i << 2));
          v128.store(dst + (<usize>i << 3), f64x2.promote_low_f32x4(v));
          v128.store(dst + (<usize>i << 3), f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), 16);
        }
      }
    }
    for (; i < n; i++) {
      let b = load<u32>(src + (<usize>i << 2));
      if (!le) b = bswap<u32>(b);
      store<f64>(dst + <usize>i * step, <f64>reinterpret<f32>(b));
    }
    return;
  }
  if (kind == DECODE_FLOAT && itemSize == 2) {
    for (let i = 0; i < n; i++) {
      let b = <u32>load<u16>(src + (<usize>i << 1));
      if (!le) b = <u32>bswap<u16>(<u16>b);
      store<f64>(dst + <usize>i * step, halfToF64(b));
    }
    return;
  }
  if (kind == DECODE_BOOL || itemSize == 1) {
    for (let i = 0; i < n; i++) {
      const b = load<u8>(src + <usize>i);
      let v: f64;
      if (kind == DECODE_BOOL) v = b != 0 ? 1.0 : 0.0;
      else if (kind == DECODE_INT) v = <f64><i8>b;
      else v = <f64>b;
      store<f64>(dst + <usize>i * step, v);
    }
    return;
  }
  if (itemSize == 2) {
    for (let i = 0; i < n; i++) {
      let b = load<u16>(src + (<usize>i << 1));
      if (!le) b = bswap<u16>(b);
      store<f64>(dst + <usize>i * step, kind == DECODE_INT ? <f64><i16>b : <f64>b);
    }
    return;
  }
  if (itemSize == 4) {
    for (let i = 0; i < n; i++) {
      let b = load<u32>(src + (<usize>i << 2));
      if (!le) b = bswap<u32>(b);
      store<f64>(dst + <usize>i * step, kind == DECODE_INT ? <f64><i32>b : <f64>b);
    }
    return;
  }
  // 8-byte integers: f64.convert_i64_{s,u} round to nearest even, as numpy's C cast does.
  for (let i = 0; i < n; i++) {
    let b = load<u64>(src + (<usize>i << 3));
    if (!le) b = bswap<u64>(b);
    store<f64>(dst + <usize>i * step, kind == DECODE_INT ? <f64><i64>b : <f64>b);
  }
}
