/**
 * Behaviour of the report engine beyond the numpy cases (tests/core/report-numpy.test.ts): alerts,
 * label problems, empty arrays, progress and cancellation, a percentile that needs several radix
 * refinement passes, and a rounded column's AUC that needs only one.
 */
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report';
import { percentileLinear } from '../../src/engine/quantiles';
import type { Progress } from '../../src/core/progress';
import { npyBytes, rng } from '../kernels/npy-bytes';

const bytes = (name: string, b: Uint8Array) => ({ kind: 'bytes' as const, name, bytes: b });

/** numpy's IQR outlier count of column `c`: finite values beyond p25 - 1.5 IQR or p75 + 1.5 IQR (linear percentiles). */
function iqrOutliers(X: Float64Array, cols: number, c: number): number {
  const col = Array.from({ length: X.length / cols }, (_, i) => X[i * cols + c]!).filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => percentileLinear((i) => col[i]!, col.length, p);
  const iqr = q(75) - q(25);
  const lo = q(25) - 1.5 * iqr;
  const hi = q(75) + 1.5 * iqr;
  return col.filter((v) => v < lo || v > hi).length;
}

function syntheticDataset(rows: number) {
  const next = rng(99);
  const cols = 5;
  const y = new Float64Array(rows);
  const X = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    y[r] = next() < 0.03 ? 1 : 0;
    const base = next() * 10;
    X[r * cols] = y[r]! * 10 + next(); // leaks the label
    X[r * cols + 1] = next() < 0.4 ? NaN : next(); // 40 % missing
    X[r * cols + 2] = next() < 0.05 ? -500 : next(); // a fill value far below the rest
    X[r * cols + 3] = base * 3 + next() * 1e-3; // ~ col 4
    X[r * cols + 4] = base;
  }
  return { X, y, cols };
}

describe('report alerts', () => {
  it('flags leakage, missing, sentinel, correlation, imbalance, too few positives and metadata mismatch', async () => {
    const rows = 1000;
    const { X, y, cols } = syntheticDataset(rows);
    const metadata = { n_features: 6, feature_names: ['a', 'b', 'c', 'd'], feature_types: { geo: [0, 9] }, units: { a: 'nT' } };
    const r = await buildReport({
      features: bytes('f.npy', npyBytes(X, rows, cols, { dtype: 'f4' })),
      labels: bytes('y.npy', npyBytes(y, rows, 1, { shape1d: true })),
      metadata,
      metadataName: 'meta.json',
    });
    const codes = (code: string) => r.alerts.filter((a) => a.code === code);
    expect(codes('possible_leakage').map((a) => a.feature)).toEqual([0]);
    expect(r.features[0]!.auc).toBe(1);
    expect(codes('high_missing').map((a) => a.feature)).toEqual([1]);
    expect(codes('nodata_sentinel').map((a) => a.feature)).toEqual([2]);
    expect(codes('high_correlation').map((a) => a.message)).toEqual([expect.stringContaining('Features 3 (d) and 4 (feature_4)')]);
    expect(codes('class_imbalance')[0]!.message).toContain(`${r.labels!.positives} positives vs ${r.labels!.negatives} negatives`);
    expect(codes('too_few_for_split')).toHaveLength(1);
    expect(codes('metadata_mismatch').map((a) => a.message).join(' ')).toMatch(/n_features is 6.*4 names.*out of range.*9/);
    expect(r.features[0]!.name).toBe('a');
    expect(r.features[0]!.unit).toBe('nT');
    expect(r.features[0]!.type).toBe('geo');
    expect(codes('duplicate_rows')).toHaveLength(0);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r); // JSON-safe
  });

  it('reports label problems and skips AUC when the lengths differ', async () => {
    const X = Float64Array.from({ length: 40 }, (_, i) => i % 7);
    const y = Float64Array.from([0, 1, 2, NaN, 1, 0, 0, 1, -1]);
    const r = await buildReport({
      features: bytes('f.npy', npyBytes(X, 20, 2)),
      labels: bytes('y.npy', npyBytes(y, 9, 1)),
    });
    expect(r.labels).toMatchObject({ n: 9, positives: 3, negatives: 3, missing: 1, invalid: 2, length_mismatch: true, distinct: [-1, 0, 1, 2] });
    expect(r.features[0]!.auc).toBeUndefined();
    const codes = r.alerts.map((a) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['labels_length_mismatch', 'labels_missing', 'labels_invalid', 'duplicate_rows']));
    expect(r.duplicate_rows).toBe(13); // 20 rows of (i % 7, (i+1) % 7) pairs: 7 distinct
  });

  it('counts duplicate rows exactly even when 32-bit row hashes collide (300k rows: ~10 colliding pairs expected)', async () => {
    const rows = 300_000;
    const next = rng(8);
    const X = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      const src = r > 1000 && next() < 0.01 ? Math.floor(next() * r) : r; // 1 % copies of earlier rows
      X[r * 2] = src === r ? next() : X[src * 2]!;
      X[r * 2 + 1] = src === r ? (next() < 0.1 ? NaN : next()) : X[src * 2 + 1]!;
    }
    const seen = new Set<string>();
    for (let r = 0; r < rows; r++) seen.add(`${X[r * 2]},${X[r * 2 + 1]}`);
    const r = await buildReport({ features: bytes('many.npy', npyBytes(X, rows, 2)) });
    expect(r.duplicate_rows).toBe(rows - seen.size);
    expect(r.duplicate_rows).toBeGreaterThan(2000);
  });

  it('counts IQR outliers exactly in pass 2 and, near the float64 limit, in a last pass', async () => {
    const rows = 3001;
    const cols = 4;
    const next = rng(12);
    const X = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      X[r * cols] = next() < 0.6 ? 0 : next() * 10 - 5; // a spike: p25 = p75 = 0
      X[r * cols + 1] = (next() - 0.5) * 1e308 * (next() < 0.02 ? 3 : 1); // fences near ±1e308
      X[r * cols + 2] = Math.exp(next() * 8); // skewed tail
      X[r * cols + 3] = (2 * next() - 1) * 1.7e308; // fences overflow to ±inf
    }
    const r = await buildReport({ features: bytes('o.npy', npyBytes(X, rows, cols)) });
    for (let c = 0; c < cols; c++) expect([c, r.features[c]!.iqr_outliers]).toEqual([c, iqrOutliers(X, cols, c)]);
    expect(r.passes).toBe(3); // column 3's fence intervals overflow: counted in a last pass
    const X012 = X.filter((_, i) => i % cols !== 3); // without it, the others are counted in pass 2
    const r012 = await buildReport({ features: bytes('o012.npy', npyBytes(X012, rows, cols - 1)) });
    expect(r012.features.map((f) => f.iqr_outliers)).toEqual(r.features.slice(0, 3).map((f) => f.iqr_outliers));
    expect(r012.passes).toBe(2);
  });

  it('counts IQR outliers around a spike of exact zeros (p25 = p75 = 0) in pass 2', async () => {
    // The fence intervals around 0 span hundreds of radix buckets of tiny magnitudes; only the
    // non-empty ones that do not hold zeros alone need collecting.
    const rows = 5000;
    const next = rng(44);
    const cols = 3;
    const X = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const u = next() + next() + next() - 1.5;
      X[r * cols] = Math.round(u); // mostly 0, a quarter ±1 or ±2 (the benchmark's rounded columns)
      X[r * cols + 1] = next() < 0.7 ? (next() < 0.5 ? -0 : 0) : u * 1e-3; // both zeros, small values
      // zeros sharing their bucket with subnormals (5e-324 and its neighbours) on both sides
      X[r * cols + 2] = next() < 0.8 ? 0 : (next() < 0.5 ? -1 : 1) * 5e-324 * Math.floor(1 + next() * 4);
    }
    const phases = new Set<string>();
    const r = await buildReport({ features: bytes('z.npy', npyBytes(X, rows, cols)) }, { onProgress: (p) => phases.add(p.phase) });
    for (let c = 0; c < cols; c++) {
      expect([c, r.features[c]!.p25, r.features[c]!.p75]).toEqual([c, 0, 0]);
      const expected = iqrOutliers(X, cols, c);
      expect(expected).toBeGreaterThan(rows / 10);
      expect([c, r.features[c]!.iqr_outliers]).toEqual([c, expected]);
    }
    expect(r.passes).toBe(2);
    expect([...phases].some((p) => p.includes('outliers'))).toBe(false);
  });

  it('refuses, with one sentence, more columns than its WASM memory budget allows', async () => {
    const req = { features: bytes('wide.npy', npyBytes(new Float64Array(2 * 5000), 2, 5000)) };
    await expect(buildReport(req)).rejects.toMatchObject({ code: 'NPY_BAD_SHAPE', message: expect.stringMatching(/^wide\.npy: 5000 feature columns would need about/) });
  });

  it('refuses labels with more than one column', async () => {
    const req = {
      features: bytes('f.npy', npyBytes([1, 2, 3, 4], 2, 2)),
      labels: bytes('y.npy', npyBytes([1, 0, 1, 0], 2, 2)),
    };
    await expect(buildReport(req)).rejects.toMatchObject({ code: 'INPUT_MISMATCH', message: expect.stringContaining('y.npy') });
  });

  it('describes an empty array (0 rows) with nulls and an error alert', async () => {
    const r = await buildReport({ features: bytes('empty.npy', npyBytes([], 0, 3)) });
    expect(r.n_samples).toBe(0);
    expect(r.n_features).toBe(3);
    expect(r.features[0]).toMatchObject({ count: 0, mean: null, p50: null, min: null });
    expect(r.alerts.map((a) => a.code)).toContain('empty_dataset');
  });
});

describe('report jobs', () => {
  const rows = 5000;
  const { X } = syntheticDataset(rows);
  const features = bytes('f.npy', npyBytes(X, rows, 5));

  it('reports progress per pass and ends each pass full', async () => {
    const seen: Progress[] = [];
    const r = await buildReport({ features, windowBytes: 8192 }, { onProgress: (p) => seen.push({ ...p }) });
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toHaveLength(r.passes);
    expect(r.passes).toBe(2);
    for (const ph of phases) expect(seen.filter((p) => p.phase === ph).at(-1)).toMatchObject({ done: rows * 5 * 8, total: rows * 5 * 8 });
  });

  it('rejects with an AbortError when cancelled between windows', async () => {
    const ac = new AbortController();
    const run = buildReport({ features, windowBytes: 4096 }, {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase.startsWith('pass 2')) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('settles the AUC of a rounded column in pass 2 (integers sharing radix buckets)', async () => {
    const rows = 20_000;
    const next = rng(6);
    const y = Float64Array.from({ length: rows }, () => (next() < 0.2 ? 1 : 0));
    const X = y.map((v) => Math.round(64 + next() * 50 + v * 10)); // four integers per top-16 bucket
    const r = await buildReport({ features: bytes('int.npy', npyBytes(X, rows, 1, { dtype: 'f4' })), labels: bytes('y.npy', npyBytes(y, rows, 1, { shape1d: true })) });
    expect(r.passes).toBe(2);
    const negatives = new Map<number, number>();
    X.forEach((x, i) => y[i] || negatives.set(x, (negatives.get(x) ?? 0) + 1));
    let below = 0; // exact Mann–Whitney AUC: negatives below each positive, ties ½
    X.forEach((x, i) => y[i] && negatives.forEach((n, v) => (below += v < x ? n : v === x ? n / 2 : 0)));
    const positives = y.reduce((a, b) => a + b, 0);
    expect(r.features[0]!.auc).toBeCloseTo(below / (positives * (rows - positives)), 12);
  });

  it('stays exact when a percentile bucket needs several refinement passes (1.1M equal-prefix values)', async () => {
    const n = 1_100_000;
    const next = rng(3);
    const v = Float64Array.from({ length: n }, () => 1 + Math.floor(next() * n) * 2 ** -44);
    const r = await buildReport({ features: bytes('tight.npy', npyBytes(v, n, 1)) });
    expect(r.passes).toBe(4); // pass 1, two 16-bit refinements, then the collecting pass
    const sorted = v.slice().sort();
    const f = r.features[0]!;
    expect([f.p1, f.p25, f.p50, f.p75, f.p99]).toEqual([1, 25, 50, 75, 99].map((q) => percentileLinear((i) => sorted[i]!, n, q)));
  });
});
