import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { npyHeader, encodeNpy, pythonStrRepr } from '../../src/core/npy-write';
import { readArrayInfo } from '../../src/core/npy';
import { bytesSource } from '../../src/core/source';

const FIXTURES = fileURLToPath(new URL('../fixtures/npy/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  writer: Array<{ file: string; descr: string; shape: number[]; fortran_order: boolean }>;
};

describe('npyHeader / encodeNpy are byte-identical to np.save (numpy 1.24)', () => {
  it.each(manifest.writer.map((c) => [c.file, c] as const))('%s', async (_name, c) => {
    const saved = new Uint8Array(readFileSync(join(FIXTURES, c.file)));
    const header = npyHeader(c.descr, c.shape, c.fortran_order);
    expect(Buffer.from(header).toString('latin1')).toBe(Buffer.from(saved.subarray(0, header.length)).toString('latin1'));
    const encoded = encodeNpy(c.descr, c.shape, saved.subarray(header.length), c.fortran_order);
    expect(Buffer.compare(encoded, saved)).toBe(0);
    const info = await readArrayInfo(bytesSource(encoded, c.file));
    expect(info).toMatchObject({ dtype: c.descr, shape: c.shape, fortranOrder: c.fortran_order, warnings: [] });
  });

  it('pads with a full 64 bytes when the dict already ends on the boundary, as numpy does', () => {
    // Whatever the shape, the header is a multiple of 64 long and ends with '\n' after spaces.
    for (const shape of [[1], [12], [123456789], [1, 2], [10 ** 15, 3], [0]]) {
      const h = npyHeader('<f8', shape);
      expect(h.length % 64).toBe(0);
      expect(h[h.length - 1]).toBe(0x0a);
      expect(h[h.length - 2]).toBe(0x20);
    }
  });

  it('switches to version 2.0 when the header exceeds 65535 bytes, and 3.0 for non-latin-1 text', () => {
    const long = npyHeader('x'.repeat(70_000), [3]);
    expect([long[6], long[7]]).toEqual([2, 0]);
    expect(new DataView(long.buffer).getUint32(8, true) + 12).toBe(long.length);
    expect(long.length % 64).toBe(0);
    const wide = npyHeader('<f4\u4e00', [3]);
    expect([wide[6], wide[7]]).toEqual([3, 0]);
  });

  it('refuses data whose size does not match descr x shape', () => {
    expect(() => encodeNpy('<f4', [3, 2], new Float32Array(5))).toThrow(/20 data bytes given for <f4 \(3, 2\), which needs 24/);
  });

  it('pythonStrRepr follows Python quoting', () => {
    expect(pythonStrRepr('<f4')).toBe("'<f4'");
    expect(pythonStrRepr("it's")).toBe(`"it's"`);
    expect(pythonStrRepr(`'"`)).toBe(`'\\'"'`);
    expect(pythonStrRepr('a\\b\n')).toBe("'a\\\\b\\n'");
  });

  const python = '/usr/bin/python3';
  const hasNumpy = existsSync(python) && (() => {
    try {
      execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!hasNumpy) console.log('skipping the live numpy header comparison: /usr/bin/python3 with numpy is not available');
  it.skipIf(!hasNumpy)('matches numpy header bytes for many shapes, orders and a 70 KB v2.0 header (live numpy)', () => {
    const cases: Array<[string, number[], boolean]> = [
      ['<f4', [0], false], ['<f4', [7], false], ['>i8', [3, 4], true], ['|u1', [10 ** 12, 1], false],
      ['<f2', [99, 123456789012], true], ['<f8', [1, 0], true], ['x'.repeat(70_000), [3], false],
      ["a'b", [2], false], ['a\'b"c', [2], false],
    ];
    const script = [
      'import io, json, sys, numpy as np',
      'out = []',
      'for descr, shape, fo in json.load(sys.stdin):',
      '    f = io.BytesIO()',
      "    np.lib.format._write_array_header(f, {'descr': descr, 'fortran_order': fo, 'shape': tuple(shape)}, None)",
      '    out.append(f.getvalue().hex())',
      'print(json.dumps(out))',
    ].join('\n');
    const hex = JSON.parse(execFileSync(python, ['-W', 'ignore', '-c', script], { input: JSON.stringify(cases) }).toString()) as string[];
    cases.forEach(([descr, shape, fo], i) => {
      expect(Buffer.from(npyHeader(descr, shape, fo)).toString('hex'), `${descr.slice(0, 8)} ${shape}`).toBe(hex[i]);
    });
  });
});
