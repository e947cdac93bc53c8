import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32Update, listNpz, npzEntrySource, readZipDirectory } from '../../src/core/npz';
import { crc32 } from 'node:zlib';
import { npyDataWindows, readArrayInfo, type ArrayInfo } from '../../src/core/npy';
import { encodeNpy } from '../../src/core/npy-write';
import { bytesSource, type ByteSource } from '../../src/core/source';
import { WorkbenchError } from '../../src/core/errors';
import { openInput } from '../../src/core/input';
import { decodeLogical, manifestNumber, npyBytes } from './npy-decode';
import { buildZip, shiftedSource } from './npz-zip-builder';

const FIXTURES = fileURLToPath(new URL('../fixtures/npy/', import.meta.url));

interface NpzEntryCase {
  name: string;
  descr: string;
  shape: number[];
  values: Array<number | string> | null;
  exact?: string[];
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  npz: Array<{ file: string; compression: number[]; entries: NpzEntryCase[] }>;
};

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** A source that records every read (offset, length). */
function loggingSource(bytes: Uint8Array, name: string, log: Array<[number, number]>): ByteSource {
  const inner = bytesSource(bytes, name);
  return { name, size: inner.size, read: (o, l) => (log.push([o, l]), inner.read(o, l)) };
}

async function readData(src: ByteSource, info: ArrayInfo, windowBytes?: number): Promise<Uint8Array> {
  const out = new Uint8Array(info.dataBytes);
  let windows = 0;
  for await (const w of npyDataWindows(src, info, { windowBytes })) {
    out.set(w.bytes, w.elementOffset * info.itemSize);
    windows++;
  }
  expect(windows).toBe(windowBytes ? Math.ceil(info.dataBytes / (Math.floor(windowBytes / (info.cols * info.itemSize)) * info.cols * info.itemSize)) : windows);
  return out;
}

async function refusal(p: Promise<unknown>, code: string, reason: string, file: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(WorkbenchError);
  const err = e as WorkbenchError;
  expect(err.code).toBe(code);
  expect(err.message).toContain(reason);
  expect(err.message.startsWith(`${file}`), err.message).toBe(true);
  expect(err.message).not.toContain('\n');
}

describe.each(manifest.npz.map((c) => [c.file, c] as const))('%s (written by numpy)', (_file, c) => {
  it('lists every array with its header facts; names are the entry names', async () => {
    const infos = await listNpz(bytesSource(fixture(c.file), c.file));
    expect(infos.map((i) => i.name)).toEqual(c.entries.map((e) => e.name));
    infos.forEach((info, k) => {
      expect(info).toMatchObject({ dtype: c.entries[k]!.descr, shape: c.entries[k]!.shape, version: '1.0', warnings: [] });
    });
  });

  it.each(c.entries.map((e) => [e.name, e] as const))('entry %s decodes to numpy\'s values', async (_n, e) => {
    const src = await npzEntrySource(bytesSource(fixture(c.file), c.file), e.name);
    expect(src.name).toBe(`${c.file}:${e.name}`);
    const info = await readArrayInfo(src);
    const values = decodeLogical(await readData(src, info, 64 * 1024), info);
    if (e.values === null) {
      // 'long': (i % 7) - 3 for i in 0..99999, checked by formula.
      expect(values.length).toBe(100_000);
      values.forEach((v, i) => {
        if (v !== (i % 7) - 3) expect(v, `element ${i}`).toBe((i % 7) - 3);
      });
    } else {
      expect(values.map((v) => (typeof v === 'bigint' ? Number(v) : v))).toEqual(e.values.map(manifestNumber));
    }
  });
});

describe('npz entry sources', () => {
  it('the fixtures really are one stored and one deflated archive', async () => {
    expect(manifest.npz.find((c) => c.file === 'stored.npz')!.compression).toEqual([0]);
    expect(manifest.npz.find((c) => c.file === 'deflated.npz')!.compression).toEqual([8]);
    const entries = await readZipDirectory(bytesSource(fixture('deflated.npz'), 'deflated.npz'));
    expect(entries.map((e) => e.method)).toEqual([8, 8, 8]);
  });

  it('a stored entry is a zero-copy window of the container', async () => {
    const bytes = fixture('stored.npz');
    const src = await npzEntrySource(bytesSource(bytes, 'stored.npz'), 'labels.npy');
    const head = await src.read(0, 16);
    expect(head.buffer).toBe(bytes.buffer);
    expect(Array.from(head.subarray(0, 6))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    expect((await src.read(src.size - 4, 100)).length).toBe(4);
    expect((await src.read(src.size + 10, 100)).length).toBe(0);
  });

  it('an entry can be named without .npy, like np.load keys', async () => {
    const src = await npzEntrySource(bytesSource(fixture('stored.npz'), 'stored.npz'), 'features');
    expect(src.name).toBe('stored.npz:features.npy');
  });

  it('openInput opens an entry of an archive given by bytes', async () => {
    const src = await openInput({ kind: 'bytes', bytes: fixture('deflated.npz'), name: 'deflated.npz', entry: 'labels.npy' });
    expect((await readArrayInfo(src)).shape).toEqual([5]);
  });

  it('sequential windows of a big deflated entry read the compressed data once (O(total))', async () => {
    const bytes = fixture('deflated.npz');
    const log: Array<[number, number]> = [];
    const container = loggingSource(bytes, 'deflated.npz', log);
    const entry = (await readZipDirectory(container)).find((e) => e.name === 'long.npy')!;
    expect(entry.uncompressedSize).toBeGreaterThan(800_000);
    log.length = 0;
    const src = await npzEntrySource(container, 'long.npy');
    const info = await readArrayInfo(src);
    const directoryReads = log.length;
    let windows = 0;
    for await (const w of npyDataWindows(src, info, { windowBytes: 8 * 1024 })) {
      expect(w.bytes.length).toBeLessThanOrEqual(8 * 1024);
      windows++;
    }
    expect(windows).toBe(98);
    const compressedRead = log.slice(directoryReads).reduce((a, [, l]) => a + l, 0);
    expect(compressedRead).toBeLessThanOrEqual(entry.compressedSize);
  });

  it('concurrent reads of a deflated entry (read-ahead, per-column reads) are served correctly', async () => {
    const stored = await npzEntrySource(bytesSource(fixture('stored.npz'), 'stored.npz'), 'features.npy');
    const deflated = await npzEntrySource(bytesSource(fixture('deflated.npz'), 'deflated.npz'), 'features.npy');
    const ranges = [[150, 20], [128, 12], [170, 18], [0, 4000], [140, 8]] as const;
    const got = await Promise.all(ranges.map(([o, l]) => deflated.read(o, l)));
    for (let i = 0; i < ranges.length; i++) {
      expect(Array.from(got[i]!)).toEqual(Array.from(await stored.read(ranges[i]![0], ranges[i]![1])));
    }
    const long = await npzEntrySource(bytesSource(fixture('deflated.npz'), 'deflated.npz'), 'long.npy');
    const reads = Array.from({ length: 20 }, (_, k) => long.read(128 + 8 * 5000 * k, 8));
    const values = (await Promise.all(reads)).map((b) => new DataView(b.buffer, b.byteOffset).getFloat64(0, true));
    expect(values).toEqual(Array.from({ length: 20 }, (_, k) => ((5000 * k) % 7) - 3));
  });

  it('random reads of a deflated entry restart the inflater and return the right bytes', async () => {
    const stored = await npzEntrySource(bytesSource(fixture('stored.npz'), 'stored.npz'), 'features.npy');
    const deflated = await npzEntrySource(bytesSource(fixture('deflated.npz'), 'deflated.npz'), 'features.npy');
    expect(deflated.size).toBe(stored.size);
    for (const [o, l] of [[100, 40], [0, 10], [150, 1000], [3, 3], [120, 8], [0, stored.size]] as const) {
      expect(Array.from(await deflated.read(o, l)), `${o}+${l}`).toEqual(Array.from(await stored.read(o, l)));
    }
    const long = await npzEntrySource(bytesSource(fixture('deflated.npz'), 'deflated.npz'), 'long.npy');
    const at = 128 + 8 * 54_321;
    const v = new DataView((await long.read(at, 8)).buffer).getFloat64(0, true);
    expect(v).toBe((54_321 % 7) - 3);
    const back = new DataView((await long.read(128, 8)).buffer).getFloat64(0, true);
    expect(back).toBe(-3);
  });
});

describe('checkpoints in deflated entries', () => {
  /** A Fortran-order (rows x cols) float64 entry, deflated, plus its container with a read log. */
  function fortranArchive(rows: number, cols: number) {
    // Barely compressible (full-precision sines), so inflated chunks stay small like real data.
    const values = new Float64Array(rows * cols).map((_, i) => Math.sin(i) * 1000);
    const data = encodeNpy('<f8', [rows, cols], values, true);
    const zip = buildZip([{ name: 'f.npy', data, method: 8 }]);
    const log: Array<[number, number]> = [];
    return { values, data, zip, log, container: loggingSource(zip, 'f.npz', log) };
  }

  it('column-strided reads of a Fortran-order entry resume from checkpoints, not from the start', async () => {
    const rows = 20_000;
    const cols = 8;
    const { values, zip, log, container } = fortranArchive(rows, cols);
    const src = await npzEntrySource(container, 'f.npy', { checkpointSpacing: 16 * 1024 });
    const info = await readArrayInfo(src);
    expect(info.fortranOrder).toBe(true);
    log.length = 0;
    const windowRows = 4000;
    for (let r0 = 0; r0 < rows; r0 += windowRows) {
      // What a row-block reader does for Fortran order: one read per column.
      const parts = await Promise.all(
        Array.from({ length: cols }, (_, j) => src.read(info.headerBytes + (j * rows + r0) * 8, windowRows * 8)),
      );
      parts.forEach((p, j) => {
        const got = new Float64Array(p.slice().buffer);
        for (let k = 0; k < windowRows; k += 97) expect(got[k]).toBe(values[(j * rows) + r0 + k]);
      });
    }
    const compressedRead = log.reduce((a, [, l]) => a + l, 0);
    // Restarting from the start for every window would read ~5x the archive (20x with 1000-row
    // windows); resuming where each column stopped reads it about once more after the first pass.
    expect(compressedRead / zip.length).toBeLessThan(2.5);
  });

  it('random reads through checkpoints return the same bytes as the original', async () => {
    const { data, container } = fortranArchive(5_000, 7);
    const src = await npzEntrySource(container, 'f.npy', { checkpointSpacing: 8 * 1024 });
    // Pseudo-random offsets, forwards and backwards, some crossing checkpoint boundaries.
    let x = 12345;
    for (let k = 0; k < 200; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const offset = x % data.length;
      const length = (x >> 8) % 20_000;
      const got = await src.read(offset, length);
      expect(got.length).toBe(Math.min(length, data.length - offset));
      if (Buffer.compare(got, data.subarray(offset, offset + got.length)) !== 0) {
        expect.fail(`bytes differ at read ${k}: offset ${offset}, length ${length}`);
      }
    }
    // Reading the whole entry to the end still checks the CRC after resuming from checkpoints.
    expect(Buffer.compare(await src.read(100, data.length), data.subarray(100))).toBe(0);
  });
});

describe('archives numpy does not write', () => {
  const a = encodeNpy('<f4', [3, 2], Float32Array.of(1, 2, 3, 4, 5, 6));
  const b = encodeNpy('<i8', [3], BigInt64Array.of(0n, 1n, 1n));

  it('zip64 records and extra fields, methods stored and deflated', async () => {
    const zip = buildZip([{ name: 'a.npy', data: a }, { name: 'b.npy', data: b, method: 8 }], { zip64: true });
    const infos = await listNpz(bytesSource(zip, 'z64.npz'));
    expect(infos.map((i) => [i.name, i.dtype, i.shape])).toEqual([['a.npy', '<f4', [3, 2]], ['b.npy', '<i8', [3]]]);
  });

  it('an archive beyond 4 GiB: entries at offsets past 2^32, read through zip64 fields', async () => {
    const shift = 5 * 1024 ** 3;
    const zip = buildZip([{ name: 'a.npy', data: a }, { name: 'b.npy', data: b, method: 8 }], { zip64: true, offsetShift: shift });
    const log: Array<[number, number]> = [];
    const big = shiftedSource(zip, shift, 'big.npz', log);
    const infos = await listNpz(big);
    expect(infos.map((i) => i.name)).toEqual(['a.npy', 'b.npy']);
    // Only the tail of the archive was ever read, never the 5 GiB before it.
    expect(Math.min(...log.map(([o]) => o))).toBeGreaterThanOrEqual(big.size - 70_000);
    const src = await npzEntrySource(big, 'a.npy');
    const info = await readArrayInfo(src);
    const data = await src.read(info.headerBytes, info.dataBytes);
    expect(Array.from(new Float32Array(data.slice().buffer))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('an archive comment holding a fake end-record signature does not confuse the reader', async () => {
    const comment = Uint8Array.of(0x50, 0x4b, 5, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0, 0, 33);
    const zip = buildZip([{ name: 'a.npy', data: a }], { comment });
    expect((await listNpz(bytesSource(zip, 'c.npz'))).map((i) => i.name)).toEqual(['a.npy']);
  });

  it('files other than *.npy are ignored by listNpz', async () => {
    const zip = buildZip([{ name: 'README.txt', data: new TextEncoder().encode('hi') }, { name: 'a.npy', data: a }]);
    expect((await listNpz(bytesSource(zip, 'm.npz'))).map((i) => i.name)).toEqual(['a.npy']);
  });
});

describe('npz refusals name the archive and the problem', () => {
  const a = encodeNpy('<f4', [2], Float32Array.of(1, 2));

  it('not a zip', async () => {
    await refusal(listNpz(bytesSource(fixture('f4_le_C_v1.npy'), 'fake.npz')), 'NPZ_BAD_ARCHIVE', 'not a zip archive', 'fake.npz');
    await refusal(listNpz(bytesSource(new Uint8Array(3), 'tiny.npz')), 'NPZ_BAD_ARCHIVE', 'not a zip archive', 'tiny.npz');
  });

  it('a missing entry lists the arrays that are there', async () => {
    await refusal(npzEntrySource(bytesSource(fixture('stored.npz'), 'stored.npz'), 'nope.npy'), 'NPZ_BAD_ARCHIVE', "no entry 'nope.npy' (its arrays: features.npy, labels.npy)", 'stored.npz');
  });

  it('unsupported compression method', async () => {
    const zip = buildZip([{ name: 'a.npy', data: a }]);
    // Patch the central directory's method field to 14 (LZMA).
    const cd = zip.length - 22 - (46 + 5);
    new DataView(zip.buffer).setUint16(cd + 10, 14, true);
    await refusal(listNpz(bytesSource(zip, 'lzma.npz')), 'NPZ_BAD_ARCHIVE', 'compression method 14', 'lzma.npz');
  });

  it('encrypted entries', async () => {
    const zip = buildZip([{ name: 'a.npy', data: a, flags: 1 }]);
    await refusal(npzEntrySource(bytesSource(zip, 'enc.npz'), 'a.npy'), 'NPZ_BAD_ARCHIVE', "'a.npy' is encrypted", 'enc.npz');
  });

  it('a central directory pointing past the end', async () => {
    const zip = buildZip([{ name: 'a.npy', data: a }]);
    new DataView(zip.buffer).setUint32(zip.length - 6, 0x7fffffff, true);
    await refusal(listNpz(bytesSource(zip, 'cut.npz')), 'NPZ_BAD_ARCHIVE', 'truncated', 'cut.npz');
  });

  it('a local header offset pointing at garbage', async () => {
    const zip = buildZip([{ name: 'a.npy', data: a }]);
    const cd = zip.length - 22 - (46 + 5);
    new DataView(zip.buffer).setUint32(cd + 42, 7, true);
    await refusal(listNpz(bytesSource(zip, 'off.npz')), 'NPZ_BAD_ARCHIVE', "local header of 'a.npy' is missing", 'off.npz');
  });

  it('corrupt deflate data', async () => {
    const bytes = fixture('deflated.npz');
    const entry = (await readZipDirectory(bytesSource(bytes, 'x'))).find((e) => e.name === 'long.npy')!;
    const broken = bytes.slice();
    broken.fill(0xff, entry.localHeaderOffset + 30 + 8 + 20 + 100, entry.localHeaderOffset + 30 + 8 + 20 + 400);
    const run = async () => {
      const src = await npzEntrySource(bytesSource(broken, 'broken.npz'), 'long.npy');
      const info = await readArrayInfo(src);
      for await (const _ of npyDataWindows(src, info, { windowBytes: 1 << 16 })) void _;
    };
    const e = await run().then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(WorkbenchError);
    expect((e as WorkbenchError).message.startsWith('broken.npz:long.npy: '), (e as WorkbenchError).message).toBe(true);
  });

  it('a deflated entry whose CRC-32 does not match is refused once read to the end', async () => {
    const data = encodeNpy('<f8', [1000], new Float64Array(1000).map((_, i) => i));
    const good = buildZip([{ name: 'a.npy', data, method: 8 }]);
    const src = await npzEntrySource(bytesSource(good, 'good.npz'), 'a.npy');
    expect((await src.read(0, src.size)).length).toBe(data.length);
    const zip = buildZip([{ name: 'a.npy', data, method: 8, crc: crc32(data) ^ 1 }]);
    const bad = await npzEntrySource(bytesSource(zip, 'crc.npz'), 'a.npy');
    await refusal(bad.read(0, data.length), 'NPZ_BAD_ARCHIVE', 'CRC-32', 'crc.npz:a.npy');
  });

  it('a deflate bomb (declared small, inflates huge) stops at the declared size', async () => {
    const huge = new Uint8Array(8 * 1024 * 1024);
    const zip = buildZip([{ name: 'a.npy', data: huge, method: 8 }]);
    // Declare 64 KiB uncompressed in the central directory (offset 24 of the record).
    const cd = zip.length - 22 - (46 + 5);
    new DataView(zip.buffer).setUint32(cd + 24, 1 << 16, true);
    const src = await npzEntrySource(bytesSource(zip, 'bomb.npz'), 'a.npy');
    expect(src.size).toBe(1 << 16);
    await refusal(src.read(0, src.size), 'NPZ_BAD_ARCHIVE', 'the zip directory says', 'bomb.npz:a.npy');
  });

  it('crc32Update matches zlib', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7919) & 0xff);
    expect(crc32Update(0, bytes)).toBe(crc32(bytes));
    expect(crc32Update(crc32Update(0, bytes.subarray(0, 5000)), bytes.subarray(5000))).toBe(crc32(bytes));
  });

  it('a hostile .npy inside an archive is refused with the archive and entry named', async () => {
    const zip = buildZip([{ name: 'evil.npy', data: npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8) }]);
    await refusal(listNpz(bytesSource(zip, 'e.npz')), 'NPY_UNSUPPORTED_DTYPE', "object dtype 'O' is refused", 'e.npz:evil.npy');
    await refusal(
      npzEntrySource(bytesSource(zip, 'e.npz'), 'evil.npy').then(readArrayInfo),
      'NPY_UNSUPPORTED_DTYPE',
      "object dtype 'O' is refused",
      'e.npz:evil.npy',
    );
  });

  it('unusable entries next to usable arrays are skipped with a warning, not fatal', async () => {
    const features = encodeNpy('<f4', [2, 2], Float32Array.of(1, 2, 3, 4));
    const zip = buildZip([
      { name: 'features.npy', data: features },
      { name: 'meta.npy', data: npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (), }", 8) },
      { name: 'labels.npy', data: encodeNpy('|u1', [2], Uint8Array.of(0, 1)), method: 8 },
    ]);
    const infos = await listNpz(bytesSource(zip, 'mixed.npz'));
    expect(infos.map((i) => i.name)).toEqual(['features.npy', 'labels.npy']);
    expect(infos[0]!.warnings).toEqual([expect.stringMatching(/^skipped mixed\.npz:meta\.npy: object dtype 'O' is refused/)]);
    expect(infos[1]!.warnings).toEqual([]);
  });
});

describe('openInput with an npz entry', () => {
  it('closes the archive it opened when the entry source is closed, and on a missing entry', async () => {
    const path = join(FIXTURES, 'stored.npz');
    const src = await openInput({ kind: 'path', path, entry: 'labels.npy' });
    expect(src.name).toBe('stored.npz:labels.npy');
    expect((await readArrayInfo(src)).shape).toEqual([5]);
    expect(src.close).toBeTypeOf('function');
    await src.close!();
    await expect(src.read(0, 4)).rejects.toThrow(/closed|EBADF/i);
    await expect(openInput({ kind: 'path', path, entry: 'nope' })).rejects.toMatchObject({ code: 'NPZ_BAD_ARCHIVE' });
  });
});
