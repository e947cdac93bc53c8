/**
 * Fitting the recipe's preprocessing on the training rows, exactly as numpy 1.24 / scikit-learn 1.2 do
 * in float64 (../shared/REFERENCE-sklearn.md §4–8):
 *
 *   lo, hi = np.nanpercentile(X_train, [clip.lo, clip.hi], axis=0)     (NaN ignored: see below)
 *   X = np.clip(X, lo, hi)
 *   SimpleImputer(strategy=median|mean|constant).fit(X_train_clipped)
 *   RobustScaler() | StandardScaler() | MinMaxScaler() on the imputed training rows
 *
 * Clipping uses np.nanpercentile, not np.percentile: with any missing value np.percentile returns NaN
 * and np.clip would then blank the whole column. Each column is fitted from a float64 buffer holding the
 * column in training order (the order of X_train in Python), so sums are numpy's sums bit for bit and
 * order statistics come from an exact multi-rank selection in WASM (assembly/transform.ts).
 *
 * Columns with no training value at all: sklearn's SimpleImputer would drop them; we keep them and fill
 * 0 (sklearn's `keep_empty_features=True`), with a warning, so the output keeps its width.
 */
import type { Kernels } from '../engine/wasm';
import type { ColumnParams, PrepareSettings } from './prepare-types';

const EPS = 2.220446049250313e-16;

/** Kernel scaler modes (assembly/transform.ts). */
export const SCALE_MODE = { none: 0, robust: 1, standard: 1, minmax: 2 } as const;

/** Ranks (0-based, into m sorted values) numpy's linear percentile q reads. */
function percentileRanks(m: number, q: number): number[] {
  if (m === 0) return [];
  const vi = (m - 1) * (q / 100);
  if (vi >= m - 1) return [m - 1];
  const lo = Math.floor(vi);
  return [lo, lo + 1];
}

/** numpy's linear percentile (two-branch lerp) from the order statistics `at(rank)`. */
export function percentileFromRanks(m: number, q: number, at: (rank: number) => number): number {
  if (m === 0) return NaN;
  const vi = (m - 1) * (q / 100);
  let a: number, b: number, g: number;
  if (vi >= m - 1) {
    a = b = at(m - 1);
    g = vi + 1; // numpy stores the previous index as -1 here
  } else {
    const lo = Math.floor(vi);
    a = at(lo);
    b = at(lo + 1);
    g = vi - lo;
  }
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

function medianRanks(m: number): number[] {
  if (m === 0) return [];
  const h = Math.floor(m / 2);
  return m % 2 === 1 ? [h] : [h - 1, h];
}

/** Median of m sorted values: even (v[h-1]+v[h])/2; odd (v[h]+v[h])/2 (np.ma path) or v[h] (np.median). */
function medianFromRanks(m: number, at: (rank: number) => number, maPath: boolean): number {
  if (m === 0) return NaN;
  const h = Math.floor(m / 2);
  if (m % 2 === 1) return maPath ? (at(h) + at(h)) / 2 : at(h);
  return (at(h - 1) + at(h)) / 2;
}

/** Scratch buffers for fitting one column of `n` training rows (reused across columns). */
export interface FitScratch {
  /** n f64: NaN-free copy that selection reorders. */
  valuesPtr: number;
  /** n f64: numpy-order sums work here. */
  sumPtr: number;
  ranksPtr: number;
  outPtr: number;
}

/** Allocates the scratch of `fitColumn` for columns of n rows. */
export function allocFitScratch(kernels: Kernels, n: number): FitScratch {
  return {
    valuesPtr: kernels.alloc(Math.max(1, n) * 8),
    sumPtr: kernels.alloc(Math.max(1, n) * 8),
    ranksPtr: kernels.alloc(64 * 4),
    outPtr: kernels.alloc(64 * 8),
  };
}

/** Order statistics of the NaN-free values at scratch.valuesPtr (m of them) at `ranks`. */
function select(kernels: Kernels, s: FitScratch, m: number, ranks: number[]): Map<number, number> {
  const sorted = [...new Set(ranks)].sort((a, b) => a - b);
  const out = new Map<number, number>();
  if (sorted.length === 0) return out;
  kernels.u32(s.ranksPtr, sorted.length).set(sorted);
  kernels.exports.tf_select_ranks(s.valuesPtr, m, s.ranksPtr, sorted.length, s.outPtr);
  const vals = kernels.f64(s.outPtr, sorted.length);
  sorted.forEach((r, i) => out.set(r, vals[i]!));
  return out;
}

/** Everything fitted for one column: what sklearn stores, and what the apply kernel needs. */
export interface ColumnFit {
  count: number;
  clipLo: number | null;
  clipHi: number | null;
  /** SimpleImputer.statistics_ (NaN for an empty column). */
  statistic: number | null;
  /** Scaler attributes, by sklearn name. */
  scaler: Record<string, number>;
  apply: ColumnParams;
  /** Training deciles (10..90) of the raw column, for the drift check. */
  deciles: number[];
  empty: boolean;
}

type FitSettings = Pick<PrepareSettings, 'clip' | 'impute' | 'scaler'>;

/**
 * Fits one column. `colPtr` holds the n training values of the column (float64, training order); it is
 * rewritten in place with the clipped and imputed values. `contiguous` selects numpy's pairwise sum
 * (a single-feature array) instead of the sequential one (C-order (n, d >= 2)).
 */
export function fitColumn(kernels: Kernels, colPtr: number, n: number, settings: FitSettings, s: FitScratch, contiguous: boolean): ColumnFit {
  const x = kernels.exports;
  const m = x.tf_compact_finite_or_inf(colPtr, n, s.valuesPtr) as number;
  const clip = settings.clip;
  // Round 1 on the raw values: clip percentiles, median fill (clipping is monotone) and raw deciles.
  const ranks: number[] = [];
  if (clip) ranks.push(...percentileRanks(m, clip.lo), ...percentileRanks(m, clip.hi));
  if (settings.impute.kind === 'median') ranks.push(...medianRanks(m));
  const decileQs = [10, 20, 30, 40, 50, 60, 70, 80, 90];
  for (const q of decileQs) ranks.push(...percentileRanks(m, q));
  const raw = select(kernels, s, m, ranks);
  const rawAt = (r: number) => raw.get(r)!;
  const deciles = decileQs.map((q) => percentileFromRanks(m, q, rawAt));
  const clipLo = clip ? percentileFromRanks(m, clip.lo, rawAt) : null;
  const clipHi = clip ? percentileFromRanks(m, clip.hi, rawAt) : null;
  const clipped = (v: number) => (clip ? clipNumpy(v, clipLo!, clipHi!) : v);

  let statistic: number | null = null;
  let fill: number | null = null;
  switch (settings.impute.kind) {
    case 'median':
      statistic = medianFromRanks(m, (r) => clipped(rawAt(r)), true);
      break;
    case 'mean': {
      // np.ma.mean: masked sum (masked entries as 0) in numpy's order, then * 1. / count.
      x.tf_clip_impute_inplace(colPtr, n, clip ? 1 : 0, clipLo ?? 0, clipHi ?? 0, 0, 0);
      const sum = x.tf_nansum(colPtr, n, contiguous ? 1 : 0, s.sumPtr) as number;
      statistic = m === 0 ? NaN : (sum * 1) / m;
      break;
    }
    case 'constant':
      statistic = settings.impute.value;
      break;
    case 'none':
      break;
  }
  if (statistic !== null) fill = Number.isNaN(statistic) ? 0 : statistic; // keep_empty_features=True
  x.tf_clip_impute_inplace(colPtr, n, clip ? 1 : 0, clipLo ?? 0, clipHi ?? 0, fill !== null ? 1 : 0, fill ?? 0);

  // Round 2 on what the scaler sees: the clipped, imputed training column.
  const scaler: Record<string, number> = {};
  let center = 0;
  let scale = 1;
  const m2 = x.tf_compact_finite_or_inf(colPtr, n, s.valuesPtr) as number;
  if (settings.scaler === 'robust') {
    const r2 = select(kernels, s, m2, [...medianRanks(m2), ...percentileRanks(m2, 25), ...percentileRanks(m2, 75)]);
    const at = (r: number) => r2.get(r)!;
    // np.nanmedian on (n, d): the np.ma path below 600 rows, np.median from 600 on.
    center = medianFromRanks(m2, at, n < 600);
    const q25 = percentileFromRanks(m2, 25, at);
    const q75 = percentileFromRanks(m2, 75, at);
    scale = q75 - q25;
    if (scale < 10 * EPS) scale = 1.0;
    scaler.center_ = center;
    scaler.scale_ = scale;
  } else if (settings.scaler === 'standard') {
    const cnt = m2;
    const sum = x.tf_nansum(colPtr, n, contiguous ? 1 : 0, s.sumPtr) as number;
    const mean = sum / cnt;
    x.tf_centered_sums(colPtr, n, sum / cnt, contiguous ? 1 : 0, s.sumPtr, s.outPtr);
    const [corr, q] = kernels.f64(s.outPtr, 2);
    const variance = (q! - corr! ** 2 / cnt) / cnt;
    const constant = variance <= cnt * EPS * variance + (cnt * mean * EPS) ** 2;
    center = mean;
    scale = constant ? 1.0 : Math.sqrt(variance);
    scaler.mean_ = mean;
    scaler.var_ = variance;
    scaler.scale_ = scale;
  } else if (settings.scaler === 'minmax') {
    const r2 = select(kernels, s, m2, m2 > 0 ? [0, m2 - 1] : []);
    const dataMin = m2 > 0 ? r2.get(0)! : NaN;
    const dataMax = m2 > 0 ? r2.get(m2 - 1)! : NaN;
    let range = dataMax - dataMin;
    if (range < 10 * EPS) range = 1.0;
    const sc = (1 - 0) / range;
    const mn = 0 - dataMin * sc;
    scaler.data_min_ = dataMin;
    scaler.data_max_ = dataMax;
    scaler.scale_ = sc;
    scaler.min_ = mn;
    center = sc;
    scale = mn;
  }
  return {
    count: m,
    clipLo,
    clipHi,
    statistic,
    scaler,
    apply: { clipLo, clipHi, fill, a: center, b: scale },
    deciles,
    empty: m === 0,
  };
}

/** numpy's np.clip for one float64 (NaN stays NaN; strict compares, so -0.0 clipped at 0.0 gives 0.0). */
export function clipNumpy(x: number, lo: number, hi: number): number {
  const y = Number.isNaN(x) ? x : x > lo ? x : lo;
  return Number.isNaN(y) ? y : y < hi ? y : hi;
}

/** Packs the apply parameters for `tf_apply_rows`: five f64 arrays (lo, hi, fill, a, b) of d each. */
export function packApplyParams(columns: ColumnParams[]): Float64Array {
  const d = columns.length;
  const p = new Float64Array(5 * d);
  columns.forEach((c, j) => {
    p[j] = c.clipLo ?? 0;
    p[d + j] = c.clipHi ?? 0;
    p[2 * d + j] = c.fill ?? 0;
    p[3 * d + j] = c.a;
    p[4 * d + j] = c.b;
  });
  return p;
}
