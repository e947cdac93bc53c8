import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArrayInfo, npyDataWindows, type ArrayInfo } from '../../src/core/npy';
import { bytesSource, type ByteSource } from '../../src/core/source';
import { fileSource } from '../../src/core/node-source';
import { decodeLogical, manifestNumber, npyBytes } from './npy-decode';

const FIXTURES = fileURLToPath(new URL('../fixtures/npy/', import.meta.url));

interface NpyCase {
  file: string;
  descr: string;
  shape: number[];
  fortran_order: boolean;
  version: string;
  values: Array<number | string>;
  exact?: string[];
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as { npy: NpyCase[] };

async function readAll(src: ByteSource, info: ArrayInfo, windowBytes?: number): Promise<Uint8Array> {
  const out = new Uint8Array(info.dataBytes);
  let expectedOffset = 0;
  for await (const w of npyDataWindows(src, info, { windowBytes })) {
    expect(w.elementOffset).toBe(expectedOffset);
    out.set(w.bytes, w.elementOffset * info.itemSize);
    expectedOffset += w.bytes.length / info.itemSize;
  }
  expect(expectedOffset * info.itemSize).toBe(info.dataBytes);
  return out;
}

describe('readArrayInfo on numpy-written fixtures', () => {
  it('the manifest covers every dtype, byte order, order and version', () => {
    const descrs = new Set(manifest.npy.map((c) => c.descr));
    for (const d of ['|b1', '|i1', '|u1', '<i2', '>i2', '<i4', '>i4', '<i8', '>i8', '<u2', '>u2', '<u4', '>u4', '<u8', '>u8', '<f2', '>f2', '<f4', '>f4', '<f8', '>f8', '=f2', '=f4', '=i8', '=u8', '=u1', '<u1', '>i1', '>b1']) {
      expect(descrs.has(d), d).toBe(true);
    }
    expect(new Set(manifest.npy.map((c) => c.version))).toEqual(new Set(['1.0', '2.0', '3.0']));
    expect(manifest.npy.some((c) => c.fortran_order)).toBe(true);
    expect(manifest.npy.length).toBeGreaterThan(230);
    expect(manifest.npy.filter((c) => c.descr[0] === '=' && c.fortran_order && c.version === '3.0').length).toBe(12);
  });

  it.each(manifest.npy.map((c) => [c.file, c] as const))('%s: header facts and values', async (_name, c) => {
    const src = await fileSource(join(FIXTURES, c.file));
    try {
      const info = await readArrayInfo(src);
      expect(info.name).toBe(c.file);
      expect(info.version).toBe(c.version);
      expect(info.dtype).toBe(c.descr);
      expect(info.shape).toEqual(c.shape);
      expect(info.fortranOrder).toBe(c.fortran_order);
      expect(info.rows).toBe(c.shape[0]);
      expect(info.cols).toBe(c.shape.length === 2 ? c.shape[1] : 1);
      expect(info.littleEndian).toBe(!c.descr.startsWith('>'));
      expect(info.itemSize).toBe(Number(c.descr.slice(2)));
      expect(info.kind).toBe(c.descr[1]);
      expect(info.dataBytes).toBe(c.shape.reduce((a, b) => a * b, 1) * info.itemSize);
      expect(info.headerBytes + info.dataBytes).toBe(src.size);
      // numpy aligns the data start to 64 bytes.
      expect(info.headerBytes % 64).toBe(0);
      expect(info.warnings).toEqual([]);

      // An odd window size forces many windows, each rounded to whole rows/elements.
      const data = await readAll(src, info, 7);
      const values = decodeLogical(data, info);
      expect(values.length).toBe(c.values.length);
      values.forEach((v, i) => {
        if (typeof v === 'bigint') {
          expect(v.toString(), `element ${i}`).toBe(c.exact ? c.exact[i] : String(c.values[i]));
          expect(Number(v)).toBe(manifestNumber(c.values[i]!));
        } else {
          expect(Object.is(v, manifestNumber(c.values[i]!)), `element ${i}: ${v} vs ${c.values[i]}`).toBe(true);
        }
      });
    } finally {
      await src.close?.();
    }
  });
});

describe('npyDataWindows', () => {
  async function info3x4(order: 'C' | 'F'): Promise<{ src: ByteSource; info: ArrayInfo }> {
    const header = `{'descr': '<i4', 'fortran_order': ${order === 'F' ? 'True' : 'False'}, 'shape': (3, 4), }`;
    const bytes = npyBytes(header, 48);
    const src = bytesSource(bytes, 'w.npy');
    return { src, info: await readArrayInfo(src) };
  }

  it('C order 2-D windows hold whole rows (16-byte rows, 40-byte target -> 32-byte windows)', async () => {
    const { src, info } = await info3x4('C');
    const windows = [];
    for await (const w of npyDataWindows(src, info, { windowBytes: 40 })) windows.push([w.elementOffset, w.bytes.length]);
    expect(windows).toEqual([[0, 32], [8, 16]]);
  });

  it('Fortran order windows are aligned to elements only', async () => {
    const { src, info } = await info3x4('F');
    const windows = [];
    for await (const w of npyDataWindows(src, info, { windowBytes: 10 })) windows.push([w.elementOffset, w.bytes.length]);
    expect(windows).toEqual([[0, 8], [2, 8], [4, 8], [6, 8], [8, 8], [10, 8]]);
  });

  it('a row wider than the window is still yielded whole', async () => {
    const { src, info } = await info3x4('C');
    const sizes = [];
    for await (const w of npyDataWindows(src, info, { windowBytes: 3 })) sizes.push(w.bytes.length);
    expect(sizes).toEqual([16, 16, 16]);
  });

  it('throws NPY_TRUNCATED naming the file when the source ends early', async () => {
    const { src, info } = await info3x4('C');
    const shrunk: ByteSource = { name: 'shrinking.npy', size: src.size, read: async (o, l) => (await src.read(o, l)).subarray(0, Math.max(0, Math.min(l, 100 - o))) };
    const run = async () => {
      for await (const _ of npyDataWindows(shrunk, info, { windowBytes: 16 })) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: 'NPY_TRUNCATED', message: expect.stringContaining('shrinking.npy') });
  });

  it('rejects with an AbortError when the signal aborts between windows', async () => {
    const { src, info } = await info3x4('C');
    const ctl = new AbortController();
    let seen = 0;
    const run = async () => {
      for await (const _ of npyDataWindows(src, info, { windowBytes: 16, signal: ctl.signal })) {
        void _;
        seen++;
        ctl.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBe(1);
  });
});
