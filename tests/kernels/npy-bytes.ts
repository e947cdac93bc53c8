/** Test helper: writes .npy bytes (format 1.0) for any supported dtype, byte order and memory order. */
export type TestDtype = 'b1' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'f2' | 'f4' | 'f8';

/** Encodes `values` (row-major, rows x cols) as a .npy file; `shape1d` writes shape (n,). */
export function npyBytes(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  opts: { dtype?: TestDtype; bigEndian?: boolean; fortran?: boolean; shape1d?: boolean } = {},
): Uint8Array {
  const dtype = opts.dtype ?? 'f8';
  const size = Number(dtype.slice(1));
  const order = size === 1 ? '|' : opts.bigEndian ? '>' : '<';
  const shape = opts.shape1d ? `(${rows},)` : `(${rows}, ${cols})`;
  let header = `{'descr': '${order}${dtype}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + rows * cols * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const view = new DataView(out.buffer, 10 + header.length);
  const le = !opts.bigEndian;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c]!;
      const at = (opts.fortran ? c * rows + r : r * cols + c) * size;
      switch (dtype) {
        case 'b1': view.setUint8(at, v ? 1 : 0); break;
        case 'i1': view.setInt8(at, v); break;
        case 'u1': view.setUint8(at, v); break;
        case 'i2': view.setInt16(at, v, le); break;
        case 'u2': view.setUint16(at, v, le); break;
        case 'i4': view.setInt32(at, v, le); break;
        case 'u4': view.setUint32(at, v, le); break;
        case 'i8': view.setBigInt64(at, BigInt(v), le); break;
        case 'u8': view.setBigUint64(at, BigInt(v), le); break;
        case 'f2': view.setUint16(at, toHalfBits(v), le); break;
        case 'f4': view.setFloat32(at, v, le); break;
        case 'f8': view.setFloat64(at, v, le); break;
      }
    }
  }
  return out;
}

/** float16 bits of a value exactly representable as a half (tests pick such values). */
export function toHalfBits(v: number): number {
  if (Number.isNaN(v)) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  const e = Math.floor(Math.log2(a));
  const mant = Math.round((a / 2 ** e - 1) * 1024);
  return sign | ((e + 15) << 10) | mant;
}

/** A seeded PRNG (mulberry32) so random tests are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
