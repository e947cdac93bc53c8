import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { writeLayoutZip, ZIP_READ_BYTES } from '../../src/workers/zip-export';
import type { Progress } from '../../src/core/progress';

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('writeLayoutZip', () => {
  it('streams every file into a zip that unzips to the same bytes, in slices, with progress', async () => {
    const contents: Record<string, Uint8Array> = {
      'data/training/features.npy': randomBytes(ZIP_READ_BYTES * 2 + 12345, 1), // spans three slices
      'data/training/labels.npy': randomBytes(1000, 2),
      'data/test/indices.npy': new Uint8Array(0),
      'data/features_metadata.json': new TextEncoder().encode('{"n_features": 3}'),
    };
    const files = Object.entries(contents).map(([path, b]) => ({ path, size: b.byteLength }));
    const chunks: Uint8Array[] = [];
    const seen: Progress[] = [];
    const maxChunk = { bytes: 0 };
    await writeLayoutZip(
      files,
      async (p) => new Blob([contents[p]! as Uint8Array<ArrayBuffer>]),
      async (c) => {
        chunks.push(c.slice());
        maxChunk.bytes = Math.max(maxChunk.bytes, c.byteLength);
      },
      { onProgress: (p) => seen.push(p) },
    );
    const zip = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
    let o = 0;
    for (const c of chunks) {
      zip.set(c, o);
      o += c.byteLength;
    }
    const unzipped = unzipSync(zip);
    expect(Object.keys(unzipped).sort()).toEqual(Object.keys(contents).sort());
    for (const [path, bytes] of Object.entries(contents)) expect(sameBytes(unzipped[path]!, bytes), path).toBe(true);
    // Never more than one slice (plus headers) handed over at once.
    expect(maxChunk.bytes).toBeLessThanOrEqual(ZIP_READ_BYTES);
    const total = files.reduce((a, f) => a + f.size, 0);
    expect(seen.at(-1)).toEqual({ phase: 'zip', done: total, total });
  });

  it('refuses a stored file whose size changed, naming it', async () => {
    await expect(
      writeLayoutZip([{ path: 'data/a.npy', size: 10 }], async () => new Blob([new Uint8Array(3)]), async () => {}),
    ).rejects.toThrow(/data\/a\.npy: the stored file changed size/);
  });

  it('stops with an AbortError between slices', async () => {
    const controller = new AbortController();
    const big = new Uint8Array(ZIP_READ_BYTES * 3);
    let writes = 0;
    const job = writeLayoutZip(
      [{ path: 'data/big.npy', size: big.byteLength }],
      async () => new Blob([big]),
      async () => {
        if (++writes === 2) controller.abort();
      },
      { signal: controller.signal },
    );
    await expect(job).rejects.toMatchObject({ name: 'AbortError' });
  });

  it.skipIf(!existsSync('/usr/bin/python3'))(
    "writes Zip64 records past 4 GiB: Python's zipfile reads the entries behind a 4 GiB file",
    async () => {
      // A 4 GiB + 1 MiB file of zeros (streamed, never in memory), then two small files whose local
      // headers sit past 4 GiB. The zip goes to a sparse file: runs of zeros are skipped, not written.
      const zero = new Uint8Array(8 * 1024 * 1024);
      const bigSize = 2 ** 32 + 2 ** 20;
      const small = { 'data/test/labels.npy': randomBytes(1000, 3), 'data/features_metadata.json': new TextEncoder().encode('{"n_features": 50}') };
      const files = [{ path: 'data/training/features.npy', size: bigSize }, ...Object.entries(small).map(([path, b]) => ({ path, size: b.byteLength }))];
      const dir = mkdtempSync(join(tmpdir(), 'prospect-zip64-'));
      const zipPath = join(dir, 'layout.zip');
      const fd = openSync(zipPath, 'w');
      let position = 0;
      try {
        await writeLayoutZip(
          files,
          async (p) =>
            p === 'data/training/features.npy'
              ? {
                  size: bigSize,
                  async *chunks() {
                    for (let o = 0; o < bigSize; o += zero.byteLength) yield zero.subarray(0, Math.min(zero.byteLength, bigSize - o));
                  },
                }
              : new Blob([small[p as keyof typeof small] as Uint8Array<ArrayBuffer>]),
          async (c) => {
            if (c.buffer !== zero.buffer) writeSync(fd, c, 0, c.byteLength, position);
            position += c.byteLength;
          },
        );
        ftruncateSync(fd, position);
      } finally {
        closeSync(fd);
      }
      try {
        expect(position).toBeGreaterThan(2 ** 32);
        const check = [
          'import json, sys, zipfile',
          'z = zipfile.ZipFile(sys.argv[1])',
          'print(json.dumps({i.filename: [i.file_size, i.header_offset] for i in z.infolist()}))',
          'print(z.read("data/test/labels.npy").hex())',
          'print(z.read("data/features_metadata.json").decode())',
        ].join('\n');
        const r = spawnSync('/usr/bin/python3', ['-c', check, zipPath], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        const [listing, labelsHex, meta] = r.stdout.trim().split('\n');
        const entries = JSON.parse(listing!) as Record<string, [number, number]>;
        expect(Object.keys(entries)).toEqual(files.map((f) => f.path));
        expect(entries['data/training/features.npy']![0]).toBe(bigSize);
        expect(entries['data/test/labels.npy']![1]).toBeGreaterThan(2 ** 32);
        expect(labelsHex).toBe(Buffer.from(small['data/test/labels.npy']).toString('hex'));
        expect(meta).toBe('{"n_features": 50}');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
