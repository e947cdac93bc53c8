/**
 * A plain, deliberately simple decoder used only by the tests to check that the bytes the reader hands
 * out are the numbers numpy wrote (kept independent of the WASM decode kernels).
 */
import type { ArrayInfo } from '../../src/core/npy';

/** IEEE binary16 -> number, spelled out from the bit layout. */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Decodes element `i` (storage order) as a bigint (integers/bools) or a number (floats). */
export function decodeElement(view: DataView, i: number, info: ArrayInfo): number | bigint {
  const at = i * info.itemSize;
  const le = info.littleEndian;
  switch (`${info.kind}${info.itemSize}`) {
    case 'b1':
      return view.getUint8(at) ? 1n : 0n;
    case 'i1':
      return BigInt(view.getInt8(at));
    case 'i2':
      return BigInt(view.getInt16(at, le));
    case 'i4':
      return BigInt(view.getInt32(at, le));
    case 'i8':
      return view.getBigInt64(at, le);
    case 'u1':
      return BigInt(view.getUint8(at));
    case 'u2':
      return BigInt(view.getUint16(at, le));
    case 'u4':
      return BigInt(view.getUint32(at, le));
    case 'u8':
      return view.getBigUint64(at, le);
    case 'f2':
      return halfToNumber(view.getUint16(at, le));
    case 'f4':
      return view.getFloat32(at, le);
    case 'f8':
      return view.getFloat64(at, le);
  }
  throw new Error(`test decoder: no case for ${info.kind}${info.itemSize}`);
}

/** All elements in logical C (row-major) order, whatever the storage order. */
export function decodeLogical(data: Uint8Array, info: ArrayInfo): Array<number | bigint> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: Array<number | bigint> = [];
  for (let r = 0; r < info.rows; r++) {
    for (let c = 0; c < info.cols; c++) {
      const storage = info.fortranOrder ? c * info.rows + r : r * info.cols + c;
      out.push(decodeElement(view, storage, info));
    }
  }
  return out;
}

/** Manifest value ("nan", "inf", "-inf" or a number) -> number. */
export function manifestNumber(v: number | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (typeof v === 'number') return v;
  throw new Error(`bad manifest value ${v}`);
}

/** A v1.0 .npy with the given header text (padded like numpy) and `dataBytes` bytes of 0..255. */
export function npyBytes(header: string, dataBytes: number, trailing = 0): Uint8Array {
  let text = header;
  const total = 10 + text.length + 1;
  text += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + text.length + dataBytes + trailing);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length & 0xff, text.length >> 8]);
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  for (let i = 0; i < dataBytes + trailing; i++) out[10 + text.length + i] = i & 0xff;
  return out;
}
