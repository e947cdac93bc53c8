/**
 * numpy dtype strings (`descr` in a .npy header, e.g. '<f4', '|b1', '>i8') and what the workbench
 * does with them. Only plain numeric scalars are read; everything else is refused with a reason.
 */

/** b = bool, i = signed int, u = unsigned int, f = IEEE float. */
export type DtypeKind = 'b' | 'i' | 'u' | 'f';

/** A supported numeric dtype. */
export interface NumericDtype {
  kind: DtypeKind;
  itemSize: number;
  littleEndian: boolean;
}

/** Item sizes numpy uses for each supported kind (float16 is read; float128/longdouble is not). */
const SUPPORTED_SIZES: Record<DtypeKind, readonly number[]> = {
  b: [1],
  i: [1, 2, 4, 8],
  u: [1, 2, 4, 8],
  f: [2, 4, 8],
};

/** Why a type character is refused (numpy's one-letter kind codes in a descr). */
const REFUSED_KINDS: Record<string, string> = {
  O: "object dtype 'O' is refused (it would need unpickling, which is never done)",
  c: 'complex dtypes are not supported',
  S: 'byte-string dtypes are not supported',
  a: 'byte-string dtypes are not supported',
  U: 'unicode string dtypes are not supported',
  V: 'void (raw bytes / structured) dtypes are not supported',
  M: 'datetime64 dtypes are not supported',
  m: 'timedelta64 dtypes are not supported',
};

/** Result of interpreting a descr string: the dtype, or a one-phrase reason for refusing it. */
export type DescrResult = { ok: true; dtype: NumericDtype } | { ok: false; reason: string };

/**
 * Interprets a numpy descr string such as '<f4'.
 *
 * Byte order: '<' little, '>' big. '|' means "not applicable" (numpy writes it for 1-byte types) and
 * '=' means "the writer's native order"; both are read as little endian because every platform numpy
 * realistically writes from (x86-64, ARM64) and every browser we run in is little endian — numpy
 * itself maps '=' to the *reader's* native order, which on our targets is little endian too.
 */
export function parseDescr(descr: string): DescrResult {
  // The kind letter is looked at first so that e.g. '<M8[ns]' or '<U10' is refused for what it is.
  const m = /^([<>|=]?)([A-Za-z])(.*)$/s.exec(descr);
  if (!m) return { ok: false, reason: `dtype '${printable(descr)}' is not a numpy scalar type` };
  const order = m[1]!;
  const ch = m[2]!;
  const sizeText = m[3]!;
  const refused = REFUSED_KINDS[ch];
  if (refused) return { ok: false, reason: `${refused} (dtype '${printable(descr)}')` };
  if (!(ch in SUPPORTED_SIZES) || !/^[1-9]\d{0,2}$/.test(sizeText)) {
    return { ok: false, reason: `dtype '${printable(descr)}' is not supported (expected bool, int8-64, uint8-64 or float16-64)` };
  }
  const kind = ch as DtypeKind;
  const itemSize = Number(sizeText);
  if (!SUPPORTED_SIZES[kind].includes(itemSize)) {
    return { ok: false, reason: `dtype '${printable(descr)}' is not supported (expected bool, int8-64, uint8-64 or float16-64)` };
  }
  return { ok: true, dtype: { kind, itemSize, littleEndian: order !== '>' } };
}

/** Human name of a supported dtype ('float32', 'bool', 'uint16'). */
export function dtypeName(d: NumericDtype): string {
  if (d.kind === 'b') return 'bool';
  const base = d.kind === 'f' ? 'float' : d.kind === 'i' ? 'int' : 'uint';
  return `${base}${d.itemSize * 8}`;
}

/**
 * Makes untrusted text safe to embed in a one-line message: control characters (C0, DEL, C1) and
 * bidirectional overrides are escaped and long text is cut, so a hostile header or file name cannot
 * break the line, reorder it or flood the terminal. Other characters (accented names) stay readable.
 */
export function printable(text: string, maxChars = 60): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
    if (out.length > maxChars) return out.slice(0, maxChars) + '…';
  }
  return out;
}
