/**
 * The .npy header: the fixed preamble (magic, version, header length) and the header itself, a Python
 * dict literal such as `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }`.
 *
 * The dict is read by a small tokenizer and a recursive-descent parser of Python literals (str in
 * either quote style with escapes, int, True/False/None, tuple, list, dict, trailing commas). Nothing
 * is ever evaluated: anything outside that grammar — names, calls, operators, floats where ints belong —
 * is a refusal, never a guess.
 */
import { WorkbenchError } from './errors';
import { parseDescr, printable, type NumericDtype } from './dtype';

/** The six magic bytes every .npy file starts with: \x93NUMPY. */
export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** Bytes before the header text: magic (6) + version (2) + length (2 for v1.0, 4 for v2.0/3.0). */
export const PREAMBLE_BYTES_V1 = 10;
export const PREAMBLE_BYTES_V2 = 12;

/**
 * Largest header we agree to read. A plain array's header is under 200 bytes; numpy only writes long
 * headers for structured dtypes, which are refused anyway. The cap keeps a hostile length field from
 * making us allocate and parse megabytes.
 */
export const MAX_HEADER_BYTES = 1024 * 1024;

/** Integers with more digits than this are clamped (see readNumber). */
const MAX_INT_DIGITS = 64;

/** Nesting deeper than this is not a numpy header; the cap keeps recursion bounded. */
const MAX_NESTING = 32;

export type NpyVersion = '1.0' | '2.0' | '3.0';

/** What the preamble says. */
export interface NpyPreamble {
  version: NpyVersion;
  /** Length of the header text (after the preamble). */
  headerLength: number;
  /** Offset of the first data byte = preamble + header length. */
  headerBytes: number;
}

/** The header's three keys, checked for presence and type (descr already understood). */
export interface NpyHeaderFields {
  descr: string;
  dtype: NumericDtype;
  fortranOrder: boolean;
  /** As written; non-negative, 1-D or 2-D, product checked against 2^53 by the caller. */
  shape: bigint[];
}

function fail(code: 'NPY_BAD_MAGIC' | 'NPY_BAD_HEADER' | 'NPY_UNSUPPORTED_DTYPE' | 'NPY_BAD_SHAPE', file: string, reason: string): never {
  throw new WorkbenchError(code, `${printable(file, 200)}: ${reason}.`, file);
}

/**
 * Reads the preamble from the first bytes of a file (at least PREAMBLE_BYTES_V2 if the file has them).
 * `fileSize` is used to refuse a header length that points past the end of the file.
 */
export function parseNpyPreamble(head: Uint8Array, fileSize: number, file: string): NpyPreamble {
  if (head.length < PREAMBLE_BYTES_V1 || NPY_MAGIC.some((b, i) => head[i] !== b)) {
    fail('NPY_BAD_MAGIC', file, 'not a .npy file (it does not start with the magic bytes \\x93NUMPY)');
  }
  const major = head[6]!;
  const minor = head[7]!;
  if (minor !== 0 || major < 1 || major > 3) {
    fail('NPY_BAD_HEADER', file, `unsupported .npy format version ${major}.${minor} (1.0, 2.0 and 3.0 are read)`);
  }
  const version = `${major}.0` as NpyVersion;
  let headerLength: number;
  let preamble: number;
  if (major === 1) {
    headerLength = head[8]! | (head[9]! << 8);
    preamble = PREAMBLE_BYTES_V1;
  } else {
    if (head.length < PREAMBLE_BYTES_V2) fail('NPY_BAD_HEADER', file, 'the file ends inside the .npy preamble');
    // `>>> 0` keeps a length >= 2^31 positive.
    headerLength = (head[8]! | (head[9]! << 8) | (head[10]! << 16) | (head[11]! << 24)) >>> 0;
    preamble = PREAMBLE_BYTES_V2;
  }
  const headerBytes = preamble + headerLength;
  if (headerBytes > fileSize) {
    fail('NPY_BAD_HEADER', file, `the header length (${headerLength} bytes) points past the end of the file (${fileSize} bytes)`);
  }
  if (headerLength > MAX_HEADER_BYTES) {
    fail('NPY_BAD_HEADER', file, `the header is ${headerLength} bytes long, more than the ${MAX_HEADER_BYTES} bytes any plain numeric array needs`);
  }
  return { version, headerLength, headerBytes };
}

/** Decodes header bytes: latin-1 for versions 1.0 and 2.0, UTF-8 for 3.0. */
export function decodeHeaderText(bytes: Uint8Array, version: NpyVersion, file: string): string {
  if (version === '3.0') {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      fail('NPY_BAD_HEADER', file, 'the version 3.0 header is not valid UTF-8');
    }
  }
  // Not TextDecoder('latin1'): the Encoding Standard maps that label to windows-1252, which differs
  // from ISO-8859-1 in 0x80-0x9F. numpy uses true latin-1, i.e. byte value = code point.
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

// ---------------------------------------------------------------------------------------------------
// Python literal parser

/** A parsed Python literal. Ints are bigint so that huge values are seen as huge, not rounded. */
export type PyValue =
  | { type: 'str'; value: string }
  | { type: 'int'; value: bigint }
  | { type: 'float'; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'none' }
  | { type: 'tuple'; items: PyValue[] }
  | { type: 'list'; items: PyValue[] }
  | { type: 'dict'; entries: Array<[PyValue, PyValue]> };

type Token =
  | { kind: 'punct'; text: string; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'int'; value: bigint; pos: number }
  | { kind: 'float'; text: string; pos: number }
  | { kind: 'name'; text: string; pos: number }
  | { kind: 'end'; pos: number };

/** A syntax problem in a Python literal; `parseNpyHeader` turns it into a WorkbenchError. */
export class PyLiteralError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);
const PUNCT = new Set(['{', '}', '(', ')', '[', ']', ',', ':']);
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && (c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/**
 * Reads the token starting at or after `from` (skipping whitespace). Tokens are read on demand by the
 * parser, so the first problem in reading order is the one reported.
 */
function readToken(text: string, from: number): [Token, number] {
  let i = from;
  while (i < text.length && WHITESPACE.has(text[i]!)) i++;
  if (i >= text.length) return [{ kind: 'end', pos: text.length }, i];
  const c = text[i]!;
  const start = i;
  if (PUNCT.has(c)) return [{ kind: 'punct', text: c, pos: i }, i + 1];
  if (c === "'" || c === '"' || ((c === 'u' || c === 'U') && (text[i + 1] === "'" || text[i + 1] === '"'))) {
    // A `u` prefix is accepted: Python 3 ignores it and old writers emitted it.
    if (c === 'u' || c === 'U') i++;
    const [value, next] = readString(text, i);
    return [{ kind: 'str', value, pos: start }, next];
  }
  if (isDigit(c) || ((c === '-' || c === '+') && isDigit(text[i + 1]))) return readNumber(text, i);
  if (isNameStart(c)) {
    while (i < text.length && (isNameStart(text[i]) || isDigit(text[i]))) i++;
    return [{ kind: 'name', text: text.slice(start, i), pos: start }, i];
  }
  throw new PyLiteralError(`unexpected character '${printable(c)}'`, i);
}

/** Reads a single- or double-quoted string starting at the quote; returns its value and the next index. */
function readString(text: string, quoteAt: number): [string, number] {
  const quote = text[quoteAt]!;
  if (text[quoteAt + 1] === quote && text[quoteAt + 2] === quote) {
    throw new PyLiteralError('triple-quoted strings are not expected in a .npy header', quoteAt);
  }
  let out = '';
  let i = quoteAt + 1;
  for (;;) {
    if (i >= text.length) throw new PyLiteralError('unterminated string', quoteAt);
    const c = text[i]!;
    if (c === quote) return [out, i + 1];
    if (c === '\n' || c === '\r') throw new PyLiteralError('line break inside a string', i);
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) throw new PyLiteralError('unterminated string', quoteAt);
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === '\n') {
      // Backslash-newline continues the string on the next line and adds nothing.
      i += 2;
    } else if (e >= '0' && e <= '7') {
      let j = i + 1;
      while (j < i + 4 && text[j] !== undefined && text[j]! >= '0' && text[j]! <= '7') j++;
      out += String.fromCodePoint(parseInt(text.slice(i + 1, j), 8));
      i = j;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new PyLiteralError(`bad \\${e} escape`, i);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw new PyLiteralError(`bad \\${e} escape (beyond Unicode)`, i);
      out += String.fromCodePoint(code);
      i += 2 + digits;
    } else if (e === 'N') {
      throw new PyLiteralError('named \\N{...} escapes are not supported', i);
    } else {
      // Python keeps the backslash of an unknown escape.
      out += '\\' + e;
      i += 2;
    }
  }
}

/** Reads an int (decimal, optional sign, `_` separators, a Python 2 `L` suffix) or a float. */
function readNumber(text: string, at: number): [Token, number] {
  let i = at;
  let sign = 1n;
  if (text[i] === '-' || text[i] === '+') {
    if (text[i] === '-') sign = -1n;
    i++;
  }
  const digitsStart = i;
  while (isDigit(text[i]) || (text[i] === '_' && isDigit(text[i - 1]) && isDigit(text[i + 1]))) i++;
  if (text[i] === '.' || text[i] === 'e' || text[i] === 'E') {
    // Floats are only recognised so that the message can say "a float"; they are never valid here.
    const m = /^\.?\d*(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
    i += m[0].length;
    if (m[0] === '' || /[eE]$/.test(m[0]) || isNameStart(text[i]) || text[i] === '.') {
      throw new PyLiteralError(`'${printable(text.slice(at, i + 1))}' is not a Python number`, at);
    }
    return [{ kind: 'float', text: text.slice(at, i), pos: at }, i];
  }
  const digits = text.slice(digitsStart, i).replaceAll('_', '');
  if (digits.length > 1 && digits[0] === '0' && /[1-9]/.test(digits)) {
    throw new PyLiteralError(`'${printable(digits)}' is not a Python integer (leading zero)`, at);
  }
  // numpy writes `3L` when saved from Python 2; numpy's own reader strips that suffix too.
  if (text[i] === 'L' || text[i] === 'l') i++;
  if (isNameStart(text[i]) || isDigit(text[i])) throw new PyLiteralError(`'${printable(text.slice(at, i + 1))}' is not a Python number`, at);
  // Anything this long is far beyond 2^53 and refused later anyway; clamping keeps BigInt parsing of a
  // hostile megabyte of digits from costing seconds.
  const magnitude = digits.length > MAX_INT_DIGITS ? 10n ** BigInt(MAX_INT_DIGITS) : BigInt(digits);
  return [{ kind: 'int', value: sign * magnitude, pos: at }, i];
}

/** Recursive-descent parser over the token list. */
class LiteralParser {
  private offset = 0;
  private lookahead: Token | undefined;
  constructor(private readonly text: string) {}

  parseDocument(): PyValue {
    const value = this.parseValue(0);
    const t = this.peek();
    if (t.kind !== 'end') throw new PyLiteralError(`unexpected ${describeToken(t)} after the literal`, t.pos);
    return value;
  }

  private peek(): Token {
    if (!this.lookahead) [this.lookahead, this.offset] = readToken(this.text, this.offset);
    return this.lookahead;
  }

  private take(): Token {
    const t = this.peek();
    this.lookahead = undefined;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private expectPunct(text: string): void {
    const t = this.take();
    if (t.kind !== 'punct' || t.text !== text) throw new PyLiteralError(`expected '${text}' but found ${describeToken(t)}`, t.pos);
  }

  private parseValue(depth: number): PyValue {
    if (depth > MAX_NESTING) throw new PyLiteralError(`nesting deeper than ${MAX_NESTING} levels`, this.peek().pos);
    const t = this.take();
    switch (t.kind) {
      case 'str': {
        const adjacent = this.peek();
        // Python would concatenate 'a' 'b'; numpy never writes that, so it is refused.
        if (adjacent.kind === 'str') throw new PyLiteralError('adjacent string literals are not expected', adjacent.pos);
        return { type: 'str', value: t.value };
      }
      case 'int':
        return { type: 'int', value: t.value };
      case 'float':
        return { type: 'float', text: t.text };
      case 'name':
        if (t.text === 'True') return { type: 'bool', value: true };
        if (t.text === 'False') return { type: 'bool', value: false };
        if (t.text === 'None') return { type: 'none' };
        throw new PyLiteralError(`the name '${printable(t.text)}' is not a literal`, t.pos);
      case 'end':
        throw new PyLiteralError('unexpected end of the header', t.pos);
      case 'punct':
        if (t.text === '{') return this.parseDict(depth);
        if (t.text === '[') return { type: 'list', items: this.parseItems(']', depth) };
        if (t.text === '(') return this.parseParenthesised(depth);
        throw new PyLiteralError(`unexpected '${t.text}'`, t.pos);
    }
  }

  /** `[a, b,]` items up to `close`, trailing comma allowed. */
  private parseItems(close: string, depth: number): PyValue[] {
    const items: PyValue[] = [];
    while (!this.isPunct(close)) {
      items.push(this.parseValue(depth + 1));
      if (this.isPunct(',')) this.take();
      else if (!this.isPunct(close)) {
        const t = this.peek();
        throw new PyLiteralError(`expected ',' or '${close}' but found ${describeToken(t)}`, t.pos);
      }
    }
    this.take();
    return items;
  }

  /** `()` is an empty tuple, `(x,)` and `(x, y)` tuples, but `(x)` is just x — as in Python. */
  private parseParenthesised(depth: number): PyValue {
    if (this.isPunct(')')) {
      this.take();
      return { type: 'tuple', items: [] };
    }
    const first = this.parseValue(depth + 1);
    if (this.isPunct(')')) {
      this.take();
      return first;
    }
    this.expectPunct(',');
    const rest = this.parseItems(')', depth);
    return { type: 'tuple', items: [first, ...rest] };
  }

  private parseDict(depth: number): PyValue {
    const entries: Array<[PyValue, PyValue]> = [];
    while (!this.isPunct('}')) {
      const key = this.parseValue(depth + 1);
      this.expectPunct(':');
      const value = this.parseValue(depth + 1);
      entries.push([key, value]);
      if (this.isPunct(',')) this.take();
      else if (!this.isPunct('}')) {
        const t = this.peek();
        throw new PyLiteralError(`expected ',' or '}' but found ${describeToken(t)}`, t.pos);
      }
    }
    this.take();
    return { type: 'dict', entries };
  }
}

function describeToken(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the header';
    case 'punct':
      return `'${t.text}'`;
    case 'str':
      return `the string '${printable(t.value, 30)}'`;
    case 'int':
      return `the number ${printable(t.value.toString(), 30)}`;
    case 'float':
      return `the number ${printable(t.text, 30)}`;
    case 'name':
      return `'${printable(t.text, 30)}'`;
  }
}

/** Parses Python literal text (throws PyLiteralError with a position on anything else). */
export function parsePyLiteral(text: string): PyValue {
  return new LiteralParser(text).parseDocument();
}

function describeValue(v: PyValue): string {
  switch (v.type) {
    case 'str':
      return 'a string';
    case 'int':
      return 'an integer';
    case 'float':
      return 'a float';
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      return 'a tuple';
    case 'list':
      return 'a list';
    case 'dict':
      return 'a dict';
  }
}

const REQUIRED_KEYS = ['descr', 'fortran_order', 'shape'] as const;

/**
 * Parses and checks the header text: a dict literal with exactly the keys descr (a supported numeric
 * dtype string), fortran_order (True/False) and shape (a tuple of 1 or 2 non-negative ints).
 */
export function parseNpyHeader(text: string, file: string): NpyHeaderFields {
  let literal: PyValue;
  try {
    literal = parsePyLiteral(text);
  } catch (e) {
    if (e instanceof PyLiteralError) {
      fail('NPY_BAD_HEADER', file, `the header is not a Python dict literal (${e.message} at character ${e.pos + 1})`);
    }
    throw e;
  }
  if (literal.type !== 'dict') fail('NPY_BAD_HEADER', file, `the header is ${describeValue(literal)}, not a dict literal`);

  const fields = new Map<string, PyValue>();
  for (const [key, value] of literal.entries) {
    if (key.type !== 'str') fail('NPY_BAD_HEADER', file, `the header dict has a key that is ${describeValue(key)}, not a string`);
    if (!(REQUIRED_KEYS as readonly string[]).includes(key.value)) {
      fail('NPY_BAD_HEADER', file, `the header has an unexpected key '${printable(key.value)}' (only descr, fortran_order and shape are allowed)`);
    }
    if (fields.has(key.value)) fail('NPY_BAD_HEADER', file, `the header repeats the key '${key.value}'`);
    fields.set(key.value, value);
  }
  for (const k of REQUIRED_KEYS) {
    if (!fields.has(k)) fail('NPY_BAD_HEADER', file, `the header lacks the key '${k}'`);
  }

  const descrValue = fields.get('descr')!;
  const fortranValue = fields.get('fortran_order')!;
  const shapeValue = fields.get('shape')!;

  if (fortranValue.type !== 'bool') {
    fail('NPY_BAD_HEADER', file, `the header's 'fortran_order' is ${describeValue(fortranValue)}, not True or False`);
  }
  if (shapeValue.type !== 'tuple') fail('NPY_BAD_HEADER', file, `the header's 'shape' is ${describeValue(shapeValue)}, not a tuple`);
  const shape: bigint[] = [];
  for (const dim of shapeValue.items) {
    if (dim.type !== 'int') fail('NPY_BAD_HEADER', file, `the header's 'shape' contains ${describeValue(dim)}, not only integers`);
    shape.push(dim.value);
  }

  if (descrValue.type === 'list') fail('NPY_UNSUPPORTED_DTYPE', file, 'structured dtypes (a list descr) are not supported; save a plain numeric array');
  if (descrValue.type !== 'str') fail('NPY_BAD_HEADER', file, `the header's 'descr' is ${describeValue(descrValue)}, not a dtype string`);
  const parsed = parseDescr(descrValue.value);
  if (!parsed.ok) fail('NPY_UNSUPPORTED_DTYPE', file, parsed.reason);

  if (shape.length === 0) fail('NPY_BAD_SHAPE', file, '0-d (scalar) arrays are not supported; expected shape (n,) or (n, d)');
  if (shape.length > 2) fail('NPY_BAD_SHAPE', file, `${shape.length}-D arrays are not supported (shape ${shapeText(shape)}); expected (n,) or (n, d)`);
  for (const d of shape) {
    if (d < 0n) fail('NPY_BAD_SHAPE', file, `the shape ${shapeText(shape)} has a negative dimension`);
  }
  return { descr: descrValue.value, dtype: parsed.dtype, fortranOrder: fortranValue.value, shape };
}

/** Python's repr of a shape tuple: `(3,)`, `(3, 2)`. */
export function shapeText(shape: ReadonlyArray<bigint | number>): string {
  const body = shape.map((d) => printable(d.toString(), 30)).join(', ');
  return shape.length === 1 ? `(${body},)` : `(${body})`;
}
