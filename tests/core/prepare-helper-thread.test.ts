/**
 * With a leakage thread (Node), the fit hands columns over to it for selection: the fitted parameters,
 * split health and every output file are the same as when the job does everything on its own thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPrepare } from '../../src/engine/prepare';
import { encodeNpy } from '../../src/core/npy-write';
import { DEFAULT_PREPARE_SETTINGS, type PrepareSettings } from '../../src/core/prepare-types';
import { makeRandom } from '../e2e/reference';
import { memorySink } from './prepare-memory-sink';

describe('prepare with the helper thread', () => {
  it.each<[string, Partial<PrepareSettings>]>([
    ['the default recipe', {}],
    ['no clipping, min-max scaling', { clip: null, scaler: 'minmax' }],
    ['constant imputation, no scaling', { impute: { kind: 'constant', value: -1 }, scaler: 'none' }],
  ])('fits like the job thread alone: %s', async (_what, settings) => {
    const n = 5000;
    const d = 9;
    const rnd = makeRandom(17);
    const X = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rnd() < 0.05 ? 1 : 0;
      for (let j = 0; j < d; j++) {
        const u = rnd();
        // NaN, ties (small integers, zeros of both signs), a heavy tail, and a column of one value.
        X[i * d + j] = u < 0.03 ? NaN : j === 0 ? 7 : j % 3 === 1 ? Math.round(u * 4) - 2 || (rnd() < 0.5 ? -0 : 0) : j % 3 === 2 ? Math.exp(u * 8) : u - 0.5;
      }
    }
    const req = () => ({
      features: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n, d], X), name: 'features.npy' },
      labels: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n], y), name: 'labels.npy' },
      settings: { ...DEFAULT_PREPARE_SETTINGS, ...settings },
      out: memorySink(),
    });
    const helped = await runPrepare(req(), { leakageThread: true });
    const alone = await runPrepare(req(), { leakageThread: false });
    expect(helped.fitted).toEqual(alone.fitted);
    expect(helped.health).toEqual(alone.health);
    expect(helped.files).toEqual(alone.files);
  });

  it('hashes rows on the hashing thread for a float32 file on disk, with the same split health', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prospect-rows-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const n = 7001; // rows straddle the hashing thread's 1 MiB reads
    const d = 13;
    const rnd = makeRandom(29);
    const X = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rnd() < 0.08 ? 1 : 0;
      // Every 5th row repeats an earlier one: some copies land in different splits (leakage to find).
      const copyOf = i % 5 === 4 ? Math.floor(rnd() * i) : -1;
      for (let j = 0; j < d; j++) X[i * d + j] = copyOf >= 0 ? X[copyOf * d + j]! : rnd() < 0.02 ? NaN : rnd() * 100 - 50;
    }
    writeFileSync(join(dir, 'features.npy'), encodeNpy('<f4', [n, d], X));
    writeFileSync(join(dir, 'labels.npy'), encodeNpy('<f4', [n], y));
    const req = () => ({
      features: { kind: 'path' as const, path: join(dir, 'features.npy') },
      labels: { kind: 'path' as const, path: join(dir, 'labels.npy') },
      settings: DEFAULT_PREPARE_SETTINGS,
      out: memorySink(),
    });
    const threaded = await runPrepare(req(), { leakageThread: true });
    const alone = await runPrepare(req(), { leakageThread: false });
    expect(threaded.health).toEqual(alone.health);
    expect(threaded.files).toEqual(alone.files);
    expect(threaded.inputs).toEqual(alone.inputs);
    const l = alone.health.leakage;
    expect(l.trainingValidation + l.trainingTest + l.validationTest).toBeGreaterThan(0);
  });
});
