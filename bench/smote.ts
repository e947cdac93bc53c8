/**
 * Benchmark section: SMOTE on a training split like the 1M recipe produces (about 700k rows × 50
 * standard-normal features, 3 % positives) — ours (WASM, in-thread) against imbalanced-learn 0.10 under
 * /usr/bin/python3, on the same data in the same run. Python writes the data to a temporary folder,
 * times `SMOTE(random_state=seed).fit_resample(X, y)` and prints the SHA-256 of the synthetic rows; we
 * time reading the minority rows out of X, the neighbour search and the generation into one output
 * array (what fit_resample returns), then compare the hashes, so the benchmark doubles as a parity check.
 *
 * Run alone: `node --import tsx bench/smote.ts [rows]`; bin/bench.mjs imports benchSmote().
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { smoteSynthesize } from '../src/engine/smote';

export interface SmoteBenchResult {
  name: string;
  /** Our wall time (s): minority gather + neighbours + synthetic rows into the resampled array. */
  oursSeconds: number;
  /** imblearn's fit_resample wall time (s), or NaN when /usr/bin/python3 lacks imblearn. */
  pythonSeconds: number;
  /** pythonSeconds / oursSeconds: how many times faster we are (≥ 1 meets the target). */
  ratio: number;
  /** Peak resident memory of this process (MiB), data included. */
  peakMiB: number;
  /** Peak resident memory of the Python process (MiB), data generation included. */
  pythonPeakMiB: number;
  /** True when our synthetic rows hash equal to imblearn's. */
  identical: boolean;
  minorityRows: number;
  syntheticRows: number;
}

const PYTHON = '/usr/bin/python3';
const MiB = 2 ** 20;

// Generates the split, saves it for us, times imblearn, prints one JSON line.
const PYTHON_SCRIPT = `
import json, sys, time, hashlib, resource
import numpy as np
from imblearn.over_sampling import SMOTE
n, d, pos, seed, out = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
rng = np.random.RandomState(seed)
X = rng.standard_normal((n, d))
y = (rng.random_sample(n) < pos).astype(np.float64)
np.save(out + "/X.npy", X); np.save(out + "/y.npy", y)
t = time.perf_counter()
Xr, yr = SMOTE(k_neighbors=5, random_state=42).fit_resample(X, y)
seconds = time.perf_counter() - t
sha = hashlib.sha256(np.ascontiguousarray(Xr[n:]).tobytes()).hexdigest()
print(json.dumps({"seconds": seconds, "sha": sha, "synthetic": int(Xr.shape[0] - n),
                  "peakMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
`;

/** The float64 payload of a C-order `<f8` .npy file written by numpy (v1 header). */
function npyFloat64(bytes: Buffer): Float64Array {
  const headerLen = bytes.readUInt16LE(8);
  const start = 10 + headerLen;
  const copy = new Uint8Array(bytes.byteLength - start);
  copy.set(bytes.subarray(start));
  return new Float64Array(copy.buffer);
}

/** Runs the SMOTE benchmark section (rows default 700,000 × 50 features, 3 % positives). */
export async function benchSmote(opts: { rows?: number; features?: number; log?: (line: string) => void } = {}): Promise<SmoteBenchResult> {
  const n = opts.rows ?? 700_000;
  const d = opts.features ?? 50;
  const log = opts.log ?? ((line: string) => console.log(line));
  const dir = await mkdtemp(join(tmpdir(), 'smote-bench-'));
  try {
    let python: { seconds: number; sha: string; synthetic: number; peakMiB: number } | undefined;
    try {
      const { stdout } = await promisify(execFile)(PYTHON, ['-c', PYTHON_SCRIPT, String(n), String(d), '0.03', '1', dir], {
        maxBuffer: MiB,
      });
      python = JSON.parse(stdout.trim().split('\n').at(-1)!);
    } catch (e) {
      log(`SMOTE bench: imblearn run skipped (${(e as Error).message.split('\n')[0]}); generating the data here.`);
    }

    let X: Float64Array;
    let y: Float64Array;
    if (python) {
      X = npyFloat64(await readFile(join(dir, 'X.npy')));
      y = npyFloat64(await readFile(join(dir, 'y.npy')));
    } else {
      X = new Float64Array(n * d);
      y = new Float64Array(n);
      let s = 1;
      const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      for (let i = 0; i < X.length; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - next()));
        const a = 2 * Math.PI * next();
        X[i] = r * Math.cos(a);
        if (i + 1 < X.length) X[i + 1] = r * Math.sin(a);
      }
      for (let i = 0; i < n; i++) y[i] = next() < 0.03 ? 1 : 0;
    }

    const started = performance.now();
    let m = 0;
    for (let i = 0; i < n; i++) if (y[i] === 1) m++;
    const minority = new Float64Array(m * d);
    for (let i = 0, r = 0; i < n; i++) if (y[i] === 1) minority.set(X.subarray(i * d, (i + 1) * d), d * r++);
    const nSynthetic = n - 2 * m;
    const resampled = new Float64Array((n + nSynthetic) * d);
    resampled.set(X);
    let at = n * d;
    await smoteSynthesize(minority, d, n - m, { k: 5, ratio: 'auto', seed: 42 }, {
      onRows: (rows) => {
        resampled.set(rows, at);
        at += rows.length;
      },
    });
    const oursSeconds = (performance.now() - started) / 1000;

    const synthetic = resampled.subarray(n * d);
    const sha = createHash('sha256').update(new Uint8Array(synthetic.buffer, synthetic.byteOffset, synthetic.byteLength)).digest('hex');
    const pythonSeconds = python?.seconds ?? NaN;
    const result: SmoteBenchResult = {
      name: `SMOTE k=5 on ${n.toLocaleString('en')} × ${d} (${m} minority rows)`,
      oursSeconds,
      pythonSeconds,
      ratio: pythonSeconds / oursSeconds,
      peakMiB: process.resourceUsage().maxRSS / 1024,
      pythonPeakMiB: python?.peakMiB ?? NaN,
      identical: python ? python.sha === sha : false,
      minorityRows: m,
      syntheticRows: nSynthetic,
    };
    log(
      `${result.name}: ours ${oursSeconds.toFixed(2)} s, imblearn ${pythonSeconds.toFixed(2)} s, ` +
        `${result.ratio.toFixed(2)}× faster, peak ${result.peakMiB.toFixed(0)} MiB (python ${result.pythonPeakMiB.toFixed(0)} MiB), ` +
        `rows ${python ? (result.identical ? 'identical' : 'DIFFERENT') : 'not compared'}`,
    );
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = process.argv[2] ? Number(process.argv[2]) : undefined;
  await benchSmote({ rows });
}
