/**
 * The page's prepare memory budget: chosen from navigator.deviceMemory (pagePrepareMemoryBytes), and
 * handed by makeEngine to runPrepare — a smaller budget means more passes over the input (seen in the
 * progress totals) and the same output files.
 */
import { describe, expect, it } from 'vitest';
import { makeEngine } from '../../src/engine/engine';
import { pagePrepareMemoryBytes } from '../../src/workers/engine.host';
import { encodeNpy } from '../../src/core/npy-write';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import type { Progress } from '../../src/core/progress';
import { memorySink } from '../core/prepare-memory-sink';

const MiB = 1024 * 1024;

describe('pagePrepareMemoryBytes', () => {
  it('gives 1 GiB from 8 GiB of device memory, 512 MiB from 4 GiB or when unknown, 256 MiB below', () => {
    expect(pagePrepareMemoryBytes(8)).toBe(1024 * MiB);
    expect(pagePrepareMemoryBytes(32)).toBe(1024 * MiB);
    expect(pagePrepareMemoryBytes(4)).toBe(512 * MiB);
    expect(pagePrepareMemoryBytes(undefined)).toBe(512 * MiB);
    expect(pagePrepareMemoryBytes(Number.NaN)).toBe(512 * MiB);
    expect(pagePrepareMemoryBytes(2)).toBe(256 * MiB);
    expect(pagePrepareMemoryBytes(0.5)).toBe(256 * MiB);
  });
});

describe('makeEngine prepareMemoryBytes', () => {
  it('reaches runPrepare: a 16 MiB budget transforms in three passes instead of two, with the same files', async () => {
    const rows = 300_000;
    const cols = 16;
    const features = new Float32Array(rows * cols);
    const labels = new Float32Array(rows);
    let s = 7;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
    for (let i = 0; i < rows; i++) {
      labels[i] = rnd() < 0.1 ? 1 : 0;
      for (let j = 0; j < cols; j++) features[i * cols + j] = rnd() < 0.01 ? Number.NaN : rnd() * (j + 1);
    }
    const dataBytes = features.byteLength;
    const run = async (prepareMemoryBytes?: number) => {
      const out = memorySink();
      let transformTotal = 0;
      const onProgress = (p: Progress) => {
        if (p.phase === 'transforming') transformTotal = p.total;
      };
      const result = await makeEngine(prepareMemoryBytes ? { prepareMemoryBytes } : {}).prepare(
        {
          features: { kind: 'bytes', bytes: encodeNpy('<f4', [rows, cols], features), name: 'features.npy' },
          labels: { kind: 'bytes', bytes: encodeNpy('<f4', [rows], labels), name: 'labels.npy' },
          settings: DEFAULT_PREPARE_SETTINGS,
          out,
        },
        { onProgress },
      );
      return { passes: transformTotal / dataBytes, files: result.files.map((f) => `${f.path} ${f.sha256}`) };
    };
    const small = await run(16 * MiB);
    const standard = await run();
    // In Node (here) an output that fits the budget takes two passes: the training split, then the
    // other two; 16 MiB holds two windows of 131072 rows of 64 bytes, so ~300k rows take three.
    expect(standard.passes).toBe(2);
    expect(small.passes).toBe(3);
    expect(small.files).toEqual(standard.files);
  }, 60_000);
});
