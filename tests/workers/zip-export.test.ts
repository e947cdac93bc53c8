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
});
