/**
 * Hostile and malformed .npy files, built byte by byte here. Every refusal must be a WorkbenchError with
 * the expected code and a one-line message that names the file and says what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { readArrayInfo } from '../../src/core/npy';
import { parsePyLiteral, PyLiteralError } from '../../src/core/npy-header';
import { WorkbenchError } from '../../src/core/errors';
import { bytesSource } from '../../src/core/source';
import { npyBytes } from './npy-decode';

const FILE = 'hostile.npy';

/** A preamble with any version/length and then raw header bytes and data. */
function rawNpy(major: number, minor: number, headerLength: number, header: Uint8Array, dataBytes = 0): Uint8Array {
  const wide = major >= 2;
  const pre = wide ? 12 : 10;
  const out = new Uint8Array(pre + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, minor]);
  const view = new DataView(out.buffer);
  if (wide) view.setUint32(8, headerLength, true);
  else view.setUint16(8, headerLength, true);
  out.set(header, pre);
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function refusal(bytes: Uint8Array, name = FILE, shownName = name): Promise<WorkbenchError> {
  try {
    const info = await readArrayInfo(bytesSource(bytes, name));
    throw new Error(`expected a refusal, got ${JSON.stringify(info)}`);
  } catch (e) {
    if (!(e instanceof WorkbenchError)) throw e;
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith(`${shownName}: `), e.message).toBe(true);
    expect(e.file).toBe(name);
    return e;
  }
}

const header = (dict: string, dataBytes = 0, trailing = 0) => npyBytes(dict, dataBytes, trailing);
const f4 = (shape: string) => `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;

describe('preamble refusals', () => {
  it.each([
    ['an empty file', new Uint8Array(0)],
    ['a text file', latin1('hello, world, this is not numpy')],
    ['a zip file', Uint8Array.of(0x50, 0x4b, 3, 4, 20, 0, 0, 0, 0, 0, 0, 0)],
    ['magic with one byte wrong', latin1('\x93NUMPZ\x01\x00\x10\x00{}')],
    ['the first 9 bytes only', latin1('\x93NUMPY\x01\x00v')],
  ])('bad magic: %s', async (_what, bytes) => {
    const e = await refusal(bytes);
    expect(e.code).toBe('NPY_BAD_MAGIC');
    expect(e.message).toContain('not a .npy file');
  });

  it.each([
    [4, 0],
    [1, 1],
    [0, 0],
    [255, 255],
  ])('unsupported version %i.%i', async (major, minor) => {
    const e = await refusal(rawNpy(major, minor, 4, latin1('{}  ')));
    expect(e.code).toBe('NPY_BAD_HEADER');
    expect(e.message).toContain(`unsupported .npy format version ${major}.${minor}`);
  });

  it('v1.0 header length past the end of the file', async () => {
    const e = await refusal(rawNpy(1, 0, 0xffff, latin1(f4('(1,)'))));
    expect(e.message).toMatch(/header length \(65535 bytes\) points past the end of the file/);
  });

  it('v2.0 header length of 4 GiB - 1 past the end (no sign overflow)', async () => {
    const e = await refusal(rawNpy(2, 0, 0xffffffff, latin1(f4('(1,)'))));
    expect(e.message).toContain('4294967295 bytes');
    expect(e.message).toContain('past the end');
  });

  it('v2.0 file that ends inside the preamble', async () => {
    const e = await refusal(latin1('\x93NUMPY\x02\x00\x05\x00'));
    expect(e.code).toBe('NPY_BAD_HEADER');
  });

  it('an absurdly long header inside the file is refused before parsing', async () => {
    const e = await refusal(rawNpy(2, 0, 2_000_000, new Uint8Array(2_000_000).fill(0x20)));
    expect(e.message).toContain('more than the 1048576 bytes');
  });
});

describe('header refusals', () => {
  it.each([
    ['a list', "[1, 2]", 'is a list, not a dict literal'],
    ['a string', "'descr'", 'is a string, not a dict literal'],
    ['empty text', '', 'unexpected end of the header'],
    ['a call', "__import__('os').system('rm -rf /')", "the name '__import__' is not a literal"],
    ['an expression', "{'descr': '<f4', 'fortran_order': False, 'shape': (2*1, 2), }", "unexpected character '*'"],
    ['text after the dict', `${f4('(3,)')} {'x': 1}`, 'after the literal'],
    ['an unterminated string', "{'descr': '<f4, 'fortran_order': False, 'shape': (3,), }", "expected ',' or '}' but found 'fortran_order'"],
    ['an unclosed dict', "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)", "expected ',' or '}'"],
    ['a missing comma', "{'descr': '<f4' 'fortran_order': False, 'shape': (3,), }", 'adjacent string literals'],
    ['JSON booleans', "{'descr': '<f4', 'fortran_order': false, 'shape': (3,), }", "the name 'false' is not a literal"],
    ['a leading-zero int', "{'descr': '<f4', 'fortran_order': False, 'shape': (03,), }", 'leading zero'],
    ['a bad escape', "{'descr': '<f\\x4', 'fortran_order': False, 'shape': (3,), }", 'bad \\x escape'],
    ['a NUL byte', "{'descr': '<f4',\x00 'fortran_order': False, 'shape': (3,), }", "unexpected character '\\x00'"],
    ['deep nesting', `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(5000)}3${',)'.repeat(5000)}, }`, 'nesting deeper than 32'],
    ['a set', "{'descr', 'fortran_order'}", "expected ':'"],
    ['missing shape', "{'descr': '<f4', 'fortran_order': False, }", "lacks the key 'shape'"],
    ['missing descr', "{'fortran_order': False, 'shape': (3,), }", "lacks the key 'descr'"],
    ['an extra key', "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'extra': 1, }", "unexpected key 'extra'"],
    ['a repeated key', "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 'shape': (3,), }", "repeats the key 'shape'"],
    ['a non-string key', "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), 1: 2}", 'a key that is an integer'],
    ['fortran_order as int', "{'descr': '<f4', 'fortran_order': 0, 'shape': (3,), }", "'fortran_order' is an integer, not True or False"],
    ['fortran_order as string', "{'descr': '<f4', 'fortran_order': 'False', 'shape': (3,), }", "'fortran_order' is a string"],
    ['shape as list', "{'descr': '<f4', 'fortran_order': False, 'shape': [3, 2], }", "'shape' is a list, not a tuple"],
    ['shape as a parenthesised int', "{'descr': '<f4', 'fortran_order': False, 'shape': (3), }", "'shape' is an integer, not a tuple"],
    ['shape with a float', "{'descr': '<f4', 'fortran_order': False, 'shape': (3.0, 2), }", "'shape' contains a float"],
    ['shape with a bool', "{'descr': '<f4', 'fortran_order': False, 'shape': (True, 2), }", "'shape' contains True"],
    ['shape with None', "{'descr': '<f4', 'fortran_order': False, 'shape': (None,), }", "'shape' contains None"],
    ['descr as int', "{'descr': 4, 'fortran_order': False, 'shape': (3,), }", "'descr' is an integer, not a dtype string"],
  ])('not a valid header dict: %s', async (_what, text, reason) => {
    const e = await refusal(header(text));
    expect(e.code).toBe('NPY_BAD_HEADER');
    expect(e.message).toContain(reason);
  });

  it('a v3.0 header that is not UTF-8', async () => {
    const text = latin1(`{'descr': '<f4\xff', 'fortran_order': False, 'shape': (1,), }\n`);
    const e = await refusal(rawNpy(3, 0, text.length, text, 4));
    expect(e.message).toContain('not valid UTF-8');
  });
});

describe('dtype refusals', () => {
  it.each([
    ['|O', "object dtype 'O' is refused"],
    ['<O8', "object dtype 'O' is refused"],
    ['<c8', 'complex'],
    ['<c16', 'complex'],
    ['<U10', 'unicode'],
    ['|S5', 'byte-string'],
    ['|a5', 'byte-string'],
    ['|V8', 'void'],
    ['<M8[ns]', 'datetime64'],
    ['<m8[s]', 'timedelta64'],
    ['<f16', "dtype '<f16' is not supported"],
    ['<f12', "dtype '<f12' is not supported"],
    ['<i3', "dtype '<i3' is not supported"],
    ['|b2', "dtype '|b2' is not supported"],
    ['<f', "dtype '<f' is not supported"],
    ['<f04', "dtype '<f04' is not supported"],
    ['float32', "dtype 'float32' is not supported"],
    ['', "dtype '' is not a numpy scalar type"],
    ['<f4 ', "dtype '<f4 ' is not supported"],
  ])('descr %j is refused', async (descr, reason) => {
    const e = await refusal(header(`{'descr': '${descr}', 'fortran_order': False, 'shape': (1,), }`, 16));
    expect(e.code).toBe('NPY_UNSUPPORTED_DTYPE');
    expect(e.message).toContain(reason);
  });

  it('structured dtypes (list descr) are refused', async () => {
    const e = await refusal(header("{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (2,), }", 16));
    expect(e.code).toBe('NPY_UNSUPPORTED_DTYPE');
    expect(e.message).toContain('structured dtypes');
  });

  it('an object array with a pickle payload is refused from the header alone', async () => {
    // The payload bytes would be a pickle; they are never looked at.
    const pickle = latin1('\x80\x03cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03.');
    const bytes = header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 0);
    const withPayload = new Uint8Array(bytes.length + pickle.length);
    withPayload.set(bytes);
    withPayload.set(pickle, bytes.length);
    const e = await refusal(withPayload);
    expect(e.message).toContain('never done');
  });
});

describe('shape refusals', () => {
  it.each([
    ['()', 'NPY_BAD_SHAPE', '0-d (scalar) arrays are not supported'],
    ['(2, 2, 2)', 'NPY_BAD_SHAPE', '3-D arrays are not supported (shape (2, 2, 2))'],
    ['(1, 1, 1, 1)', 'NPY_BAD_SHAPE', '4-D arrays'],
    ['(-1,)', 'NPY_BAD_SHAPE', 'negative dimension'],
    ['(3, -2)', 'NPY_BAD_SHAPE', 'negative dimension'],
    ['(1099511627776, 1099511627776)', 'NPY_BAD_SHAPE', 'overflows'],
    ['(2251799813685248,)', 'NPY_BAD_SHAPE', 'beyond 2^53'],
    ['(99999999999999999999999999999999999999999,)', 'NPY_BAD_SHAPE', 'overflows'],
    ['(5, 3)', 'NPY_TRUNCATED', "shape (5, 3) of '<f4' needs 60 bytes but only 16 follow the header"],
    ['(1000000000000,)', 'NPY_TRUNCATED', 'needs 4000000000000 bytes'],
  ])('shape %s', async (shape, code, reason) => {
    const e = await refusal(header(f4(shape), 16));
    expect(e.code).toBe(code);
    expect(e.message).toContain(reason);
  });

  it('a megabyte of digits is refused quickly', async () => {
    const t0 = Date.now();
    const text = latin1(f4(`(${'9'.repeat(1_000_000)},)`) + '\n');
    const e = await refusal(rawNpy(2, 0, text.length, text, 16));
    expect(e.code).toBe('NPY_BAD_SHAPE');
    // Generous for a loaded CI machine. Without the clamp, parsing the digits as a BigInt alone took
    // ~0.3 s here (and printing them more); this guards against that cost coming back.
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('accented file names stay readable; bidi overrides are escaped', async () => {
    await refusal(header(f4('(9,)'), 4), 'données.npy');
    await refusal(header(f4('(9,)'), 4), 'a\u202ecod.npy', 'a\\u202ecod.npy');
  });

  it('a file name with a line break stays on one line', async () => {
    const e = await refusal(header(f4('(9,)'), 4), 'evil\nname.npy', 'evil\\x0aname.npy');
    expect(e.message).toContain('evil\\x0aname.npy');
    expect(e.message).not.toContain('\n');
  });

  it('hostile text echoed in a message is escaped and cut short', async () => {
    const e = await refusal(header(`{'descr': '<\\x1b[2J${'A'.repeat(500)}', 'fortran_order': False, 'shape': (1,), }`, 16));
    expect(e.message).not.toContain('\x1b');
    expect(e.message.length).toBeLessThan(300);
  });
});

describe('accepted oddities', () => {
  it('trailing bytes after the data are a warning, not an error', async () => {
    const info = await readArrayInfo(bytesSource(header(f4('(2, 2)'), 16, 5), 'extra.npy'));
    expect(info.dataBytes).toBe(16);
    expect(info.warnings).toEqual(['extra.npy: 5 trailing bytes after the data are ignored.']);
  });

  it('0 rows is valid', async () => {
    const info = await readArrayInfo(bytesSource(header(f4('(0, 7)')), 'empty.npy'));
    expect(info).toMatchObject({ rows: 0, cols: 7, dataBytes: 0, shape: [0, 7], warnings: [] });
  });

  it('Python 2 headers (u-strings, 3L ints), double quotes, escapes, tabs and no trailing comma', async () => {
    const text = `{u"descr":\t'\\x3ci\\u0038',"fortran_order":True,'sha' 'pe':(3L,2L)}`.replace("'sha' 'pe'", "'shape'");
    const info = await readArrayInfo(bytesSource(header(text, 48), 'py2.npy'));
    expect(info).toMatchObject({ dtype: '<i8', kind: 'i', itemSize: 8, shape: [3, 2], fortranOrder: true });
  });

  it('a 1-byte dtype may carry any byte order character', async () => {
    for (const descr of ['<u1', '>u1', '=u1', '|u1', '|b1', '<i1']) {
      const info = await readArrayInfo(bytesSource(header(`{'descr': '${descr}', 'fortran_order': False, 'shape': (4,), }`, 4), 'one.npy'));
      expect(info.itemSize).toBe(1);
    }
  });

  it('version 2.0 and 3.0 headers with non-ASCII text decode as latin-1 and UTF-8', async () => {
    // latin-1 0x85 is U+0085, not windows-1252's '…': the dtype error shows it escaped as \x85.
    const v2 = latin1(`{'descr': '<f4\x85', 'fortran_order': False, 'shape': (1,), }\n`);
    const e2 = await refusal(rawNpy(2, 0, v2.length, v2, 4));
    expect(e2.message).toContain("'<f4\\x85'");
    const v3 = new TextEncoder().encode(`{'descr': '<f4\u00e9', 'fortran_order': False, 'shape': (1,), }\n`);
    const e3 = await refusal(rawNpy(3, 0, v3.length, v3, 4));
    expect(e3.message).toContain("'<f4\u00e9'");
  });
});

describe('parsePyLiteral', () => {
  it('follows Python: (x) is x, (x,) and () are tuples, trailing commas allowed', () => {
    expect(parsePyLiteral('(3)')).toEqual({ type: 'int', value: 3n });
    expect(parsePyLiteral('(3,)')).toEqual({ type: 'tuple', items: [{ type: 'int', value: 3n }] });
    expect(parsePyLiteral('()')).toEqual({ type: 'tuple', items: [] });
    expect(parsePyLiteral('[1, -2,]')).toEqual({ type: 'list', items: [{ type: 'int', value: 1n }, { type: 'int', value: -2n }] });
    expect(parsePyLiteral('{}')).toEqual({ type: 'dict', entries: [] });
    expect(parsePyLiteral('1_000')).toEqual({ type: 'int', value: 1000n });
  });

  it('decodes both quote styles and the escapes Python knows', () => {
    expect(parsePyLiteral(`"it's"`)).toEqual({ type: 'str', value: "it's" });
    expect(parsePyLiteral(`'a\\'b\\\\c\\n\\t\\101\\x41\\u00e9\\U0001F600\\q'`)).toEqual({ type: 'str', value: "a'b\\c\n\tAA\u00e9\u{1F600}\\q" });
  });

  it('refuses (,), (,,), {:} and lone commas', () => {
    for (const text of ['(,)', '(1,,)', '{:}', ',', '[,]', '(1 2)', '-', '1e', '3j']) {
      expect(() => parsePyLiteral(text), text).toThrow(PyLiteralError);
    }
  });
});
