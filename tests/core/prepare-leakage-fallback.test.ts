/**
 * When the leakage thread fails, the job still ends with the same split health and fit: the count is
 * redone on the job's own thread from the row hashes, and the columns handed over for selection are
 * selected there (src/engine/prepare.ts, prepare-fit.ts). The thread is made to fail here.
 */
import { describe, expect, it, vi } from 'vitest';
import { runPrepare } from '../../src/engine/prepare';
import { encodeNpy } from '../../src/core/npy-write';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { memorySink } from './prepare-memory-sink';

vi.mock('../../src/engine/leakage-thread', () => ({
  LeakageThread: {
    start: () => ({
      healthy: true,
      keepAlive: () => {},
      release: () => {},
      discard: () => {},
      // The columns handed over for selection and the count both fail.
      select: () => Promise.reject(new Error('the selection thread failed: out of memory')),
      count: () => Promise.reject(new Error('the leakage thread failed: out of memory')),
      close: async () => {},
    }),
  },
}));

describe('prepare when the leakage thread fails', () => {
  it('selects and counts on its own thread instead, with the same result', async () => {
    const n = 600;
    const d = 3;
    const X = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 10 === 0 ? 1 : 0;
      // Every 7th row repeats the row before it: some copies land in different splits.
      for (let j = 0; j < d; j++) X[i * d + j] = i % 7 === 0 && i > 0 ? X[(i - 1) * d + j]! : Math.sin(i * 12.9898 + j * 78.233) * 43758.5453 % 10;
    }
    const req = () => ({
      features: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n, d], X), name: 'features.npy' },
      labels: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n], y), name: 'labels.npy' },
      settings: DEFAULT_PREPARE_SETTINGS,
      out: memorySink(),
    });
    const onThread = await runPrepare(req(), { leakageThread: true });
    const here = await runPrepare(req(), { leakageThread: false });
    expect(onThread.health).toEqual(here.health);
    expect(onThread.fitted).toEqual(here.fitted);
    expect(onThread.files).toEqual(here.files);
    const l = here.health.leakage;
    expect(l.trainingValidation + l.trainingTest + l.validationTest).toBeGreaterThan(0);
  });
});
