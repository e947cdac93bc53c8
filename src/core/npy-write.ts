/**
 * Writing .npy files exactly as numpy 1.24's `np.save` does, so that outputs are byte-identical to what
 * the users' Python tooling would write: the dict repr with sorted keys, the spare "growth" spaces numpy
 * leaves after the dict, and space padding plus '\n' so the data starts at a multiple of 64 bytes.
 */
import { WorkbenchError } from './errors';
import { parseDescr } from './dtype';
import { NPY_MAGIC } from './npy-header';

/** numpy's ARRAY_ALIGN: the data starts at a multiple of this many bytes. */
const ARRAY_ALIGN = 64;

/**
 * numpy's GROWTH_AXIS_MAX_DIGITS: room left after the dict so that the length of the growth axis can
 * be rewritten in place (numpy >= 1.23 pads by 21 minus the digits of that dimension).
 */
const GROWTH_AXIS_MAX_DIGITS = 21;

const MAX_V1_HEADER_LENGTH = 0xffff;

/** Python's repr() of a str (exact for ASCII, which every numeric descr is): single quotes unless the text holds one and no ". */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (c === quote || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += c;
  }
  return out + quote;
}

/** Python's repr() of a shape tuple. */
function pythonShapeRepr(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/**
 * The full header (magic, version, length, dict, padding) numpy writes for an array of this descr and
 * shape: version 1.0, or 2.0 when the header exceeds 65535 bytes, or 3.0 when it is not latin-1.
 */
export function npyHeader(descr: string, shape: number[], fortranOrder = false): Uint8Array {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new WorkbenchError('INTERNAL', `npyHeader: bad shape dimension ${d}.`);
  }
  // Keys in sorted order, each followed by ", " — numpy's `"'%s': %s, " % (key, repr(value))`.
  let dict = `{'descr': ${pythonStrRepr(descr)}, 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${pythonShapeRepr(shape)}, }`;
  if (shape.length > 0) {
    const growthDim = shape[fortranOrder ? shape.length - 1 : 0]!;
    dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(growthDim).length));
  }
  const isLatin1 = [...dict].every((c) => c.codePointAt(0)! <= 0xff);
  const text = isLatin1 ? Uint8Array.from(dict, (c) => c.charCodeAt(0)) : new TextEncoder().encode(dict);

  const wrap = (major: number): Uint8Array => {
    const lengthBytes = major === 1 ? 2 : 4;
    const hlen = text.length + 1; // + '\n'
    // numpy pads by ALIGN - (used % ALIGN), which is a full 64 when already aligned; so do we.
    const padlen = ARRAY_ALIGN - ((NPY_MAGIC.length + 2 + lengthBytes + hlen) % ARRAY_ALIGN);
    const total = NPY_MAGIC.length + 2 + lengthBytes + hlen + padlen;
    const out = new Uint8Array(total);
    out.set(NPY_MAGIC);
    out[6] = major;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (major === 1) view.setUint16(8, hlen + padlen, true);
    else view.setUint32(8, hlen + padlen, true);
    const textStart = NPY_MAGIC.length + 2 + lengthBytes;
    out.set(text, textStart);
    out.fill(0x20, textStart + text.length, total - 1);
    out[total - 1] = 0x0a;
    return out;
  };

  if (!isLatin1) return wrap(3);
  const v1Length = text.length + 1 + ARRAY_ALIGN - ((NPY_MAGIC.length + 4 + text.length + 1) % ARRAY_ALIGN);
  return v1Length <= MAX_V1_HEADER_LENGTH ? wrap(1) : wrap(2);
}

/** A whole .npy file in memory (for small arrays): header plus `data`, which must match descr × shape. */
export function encodeNpy(descr: string, shape: number[], data: ArrayBufferView, fortranOrder = false): Uint8Array {
  const parsed = parseDescr(descr);
  if (!parsed.ok) throw new WorkbenchError('INTERNAL', `encodeNpy: ${parsed.reason}.`);
  const expected = shape.reduce((a, b) => a * b, 1) * parsed.dtype.itemSize;
  if (data.byteLength !== expected) {
    throw new WorkbenchError('INTERNAL', `encodeNpy: ${data.byteLength} data bytes given for ${descr} ${pythonShapeRepr(shape)}, which needs ${expected}.`);
  }
  const header = npyHeader(descr, shape, fortranOrder);
  const out = new Uint8Array(header.length + expected);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}
