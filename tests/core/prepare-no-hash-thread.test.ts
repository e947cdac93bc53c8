/**
 * Where no hashing thread can start (worker_threads missing, or the page without nested workers), prepare
 * hashes on the job's own thread: inputs as they are read, outputs as they are written. The hashing and
 * leakage threads' module is made to fail to load here; every digest must still be the file's SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runPrepare } from '../../src/engine/prepare';
import { encodeNpy } from '../../src/core/npy-write';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { makeRandom } from '../e2e/reference';
import { memorySink } from './prepare-memory-sink';

vi.mock('../../src/engine/node-hasher', () => {
  throw new Error('worker_threads is not available here');
});

const dir = mkdtempSync(join(tmpdir(), 'prospect-nohash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prepare without a hashing thread', () => {
  it('hashes inputs and outputs on its own thread, with the same digests', async () => {
    await expect(import('../../src/engine/node-hasher')).rejects.toThrow(); // the mock is in force
    const n = 20_000;
    const d = 6;
    const rnd = makeRandom(23);
    const X = Float32Array.from({ length: n * d }, () => (rnd() < 0.02 ? NaN : rnd() * 10 - 5));
    const y = Float32Array.from({ length: n }, () => (rnd() < 0.05 ? 1 : 0));
    const features = encodeNpy('<f4', [n, d], X);
    const labels = encodeNpy('<f4', [n], y);
    // Files on disk: with a thread, these would be hashed by it reading them itself.
    writeFileSync(join(dir, 'features.npy'), features);
    writeFileSync(join(dir, 'labels.npy'), labels);
    const out = memorySink();
    const r = await runPrepare({
      features: { kind: 'path', path: join(dir, 'features.npy') },
      labels: { kind: 'path', path: join(dir, 'labels.npy') },
      settings: DEFAULT_PREPARE_SETTINGS,
      out,
    });
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(r.inputs.map((f) => f.sha256)).toEqual([sha(features), sha(readFileSync(join(dir, 'labels.npy')))]);
    expect(r.files.length).toBeGreaterThanOrEqual(11);
    for (const f of r.files) expect(f.sha256, f.path).toBe(sha(out.files.get(f.path)!));
  });
});
