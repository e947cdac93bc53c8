/**
 * Benchmark inputs: n x d float32 features (~1 % NaN, a few heavy-tailed columns) and float32 labels
 * with ~3 % positives, written in chunks so generating never holds the whole file in memory.
 */
import { open } from 'node:fs/promises';
import { npyHeader } from '../src/core/npy-write';
import { makeRandom } from '../tests/e2e/reference';

const CHUNK_ROWS = 65536;

/** Variations of the generated problem (defaults: the prepare benchmark's inputs). */
export interface BenchInputOptions {
  seed?: number;
  /** Fraction of positive labels (default 0.03). */
  positiveRate?: number;
  /** A column holding one value in every row (default none). */
  constantColumn?: number;
}

/** Writes `features.npy` and `labels.npy` for an n x d problem to the given paths. */
export async function writeBenchInput(featuresPath: string, labelsPath: string, n: number, d: number, opts: BenchInputOptions = {}): Promise<void> {
  const { seed = 1, positiveRate = 0.03, constantColumn = -1 } = opts;
  const rnd = makeRandom(seed); // xorshift32, not the split's RNG
  const fh = await open(featuresPath, 'w');
  const lh = await open(labelsPath, 'w');
  try {
    await fh.write(npyHeader('<f4', [n, d]));
    await lh.write(npyHeader('<f4', [n]));
    const scale = Array.from({ length: d }, (_, j) => 1 + ((j * 37) % 11) * 10);
    for (let r0 = 0; r0 < n; r0 += CHUNK_ROWS) {
      const rows = Math.min(CHUNK_ROWS, n - r0);
      const X = new Float32Array(rows * d);
      const y = new Float32Array(rows);
      for (let r = 0; r < rows; r++) {
        const positive = rnd() < positiveRate;
        y[r] = positive ? 1 : 0;
        for (let j = 0; j < d; j++) {
          const u = rnd();
          let v = (u + rnd() + rnd() - 1.5) * scale[j]! + (positive ? 0.3 * scale[j]! : 0);
          if (j % 10 === 3) v = Math.exp(v / scale[j]!) * 100; // heavy tail: clipping matters
          if (j % 7 === 2) v = Math.round(v); // ties
          X[r * d + j] = rnd() < 0.01 ? NaN : j === constantColumn ? 7 : v;
        }
      }
      await fh.write(new Uint8Array(X.buffer));
      await lh.write(new Uint8Array(y.buffer));
    }
    // Flushed to disk before anything is timed: a run that starts while the kernel still holds 800 MB of
    // freshly written (dirty) input measured ~2 s slower than the same run a minute later, which made
    // the order of the contestants matter.
    await fh.sync();
    await lh.sync();
  } finally {
    await fh.close();
    await lh.close();
  }
}
