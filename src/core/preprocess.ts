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
 * and np.clip would then blank the whole column. Order statistics come from an exact selection in WASM
 * (radix on float32 keys, or quickselect on float64; assembly/transform.ts); sums (mean imputation,
 * StandardScaler) run in training order (the order of X_train in Python) and in numpy's summation order
 * — sequential for (n, d >= 2), pairwise for a single feature — so they match bit for bit.
 *
 * Signed zeros: numpy compares -0.0 and +0.0 equal, so which one lands on a percentile or median rank
 * follows its sort; we return +0.0 when the column holds one (it matched numpy in every generated case).
 *
 * Columns with no training value at all: sklearn's SimpleImputer would drop them; we keep them and fill
 * 0 (sklearn's `keep_empty_features=True`), with a warning, so the output keeps its width.
 */
import type { Kernels } from '../engine/wasm';
import type { ColumnParams, PrepareSettings } from './prepare-types';
import { medianRanks, nanmedian, percentileLinear } from './numpy-order-stats';

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

/** Scratch buffers for fitting one column of `n` training rows (reused across columns). */
export interface FitScratch {
  /** n values (f32 or f64): the NaN-free copy that selection works on. */
  valuesPtr: number;
  /** n f64: the clipped/imputed column for numpy-order sums (and the radix buckets' copy). */
  workPtr: number;
  histPtr: number;
  slotsPtr: number;
  ranksPtr: number;
  bucketPtr: number;
  outPtr: number;
  isF32: boolean;
}

const MAX_RANKS = 128;
const RADIX_BINS = 65536;

/** Allocates the scratch of `fitColumn` for columns of n rows stored as f32 (`isF32`) or f64. */
export function allocFitScratch(kernels: Kernels, n: number, isF32: boolean): FitScratch {
  const rows = Math.max(1, n);
  return {
    valuesPtr: kernels.alloc(rows * (isF32 ? 4 : 8)),
    workPtr: kernels.alloc(rows * 8),
    histPtr: kernels.alloc(RADIX_BINS * 4),
    slotsPtr: kernels.alloc(RADIX_BINS * 4),
    ranksPtr: kernels.alloc(MAX_RANKS * 4),
    bucketPtr: kernels.alloc(MAX_RANKS * 8),
    outPtr: kernels.alloc(MAX_RANKS * 8),
    isF32,
  };
}

/** The distinct ranks in [0, m) of `ranks`, ascending: what the selection kernels take. */
export function selectionRanks(ranks: number[], m: number): number[] {
  return [...new Set(ranks.filter((r) => r >= 0 && r < m))].sort((a, b) => a - b);
}

/**
 * Rank -> value of a selection. numpy compares -0.0 and +0.0 equal, so which one sits at a rank follows
 * its sort; we return +0.0 whenever the column has one (`positiveZero`: what numpy's sort gave in every
 * case we generated), else -0.0.
 */
export function rankValues(sorted: number[], vals: ArrayLike<number>, positiveZero: boolean): Map<number, number> {
  const out = new Map<number, number>();
  sorted.forEach((r, i) => {
    const v = vals[i]!;
    out.set(r, v === 0 ? (positiveZero ? 0 : -0) : v);
  });
  return out;
}

/** Order statistics of the m NaN-free values at scratch.valuesPtr, at `ranks` (any order, repeats allowed). */
function select(kernels: Kernels, s: FitScratch, m: number, ranks: number[]): Map<number, number> {
  const sorted = selectionRanks(ranks, m);
  if (sorted.length === 0) return new Map();
  kernels.u32(s.ranksPtr, sorted.length).set(sorted);
  if (s.isF32) {
    // The bucket copies go to workPtr (m f32 fit easily in its n f64).
    kernels.exports.tf_select_ranks_f32(s.valuesPtr, m, s.ranksPtr, sorted.length, s.outPtr, s.histPtr, s.slotsPtr, s.workPtr, s.bucketPtr);
  } else {
    kernels.exports.tf_select_ranks(s.valuesPtr, m, s.ranksPtr, sorted.length, s.outPtr);
  }
  const vals = kernels.f64(s.outPtr, sorted.length).slice();
  const positiveZero = !vals.some((v) => v === 0) || kernels.exports.tf_has_positive_zero(s.valuesPtr, m, s.isF32 ? 1 : 0) === 1;
  return rankValues(sorted, vals, positiveZero);
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

const DECILE_QS = [10, 20, 30, 40, 50, 60, 70, 80, 90];

/**
 * The raw ranks (of m present values among n training rows) whose values fitColumn needs: clip
 * percentiles, median, drift deciles, and for the scaler both candidate raw ranks of each imputed rank
 * (see fitColumn). Unsorted, with repeats and out-of-range entries (selectionRanks cleans them).
 */
export function columnRanks(n: number, m: number, settings: FitSettings): number[] {
  const clip = settings.clip;
  const z = settings.impute.kind !== 'none' ? n - m : 0;
  const nScaled = m + z;
  const scaledRanks =
    settings.scaler === 'robust'
      ? [...medianRanks(nScaled), ...percentileRanks(nScaled, 25), ...percentileRanks(nScaled, 75)]
      : settings.scaler === 'minmax' && nScaled > 0
        ? [0, nScaled - 1]
        : [];
  const ranks: number[] = [];
  if (clip) ranks.push(...percentileRanks(m, clip.lo), ...percentileRanks(m, clip.hi));
  if (settings.impute.kind === 'median') ranks.push(...medianRanks(m));
  for (const q of DECILE_QS) ranks.push(...percentileRanks(m, q));
  for (const r of scaledRanks) ranks.push(r, r - z);
  return ranks;
}

/**
 * Fits one column from `colPtr`: its n training values (f32 when scratch.isF32, else f64; left
 * unchanged), in any order; `orderPtr` (u32 per training position: index into the column, or 0 when the
 * column is already in training order) gives numpy's order for the sums. `contiguous` selects numpy's pairwise sum (a single-feature array)
 * instead of the sequential one (C-order (n, d >= 2)). With `compacted`, colPtr holds only the column's
 * `compacted` non-NaN values (of n training rows), which is enough unless a sum needs the training
 * order (mean imputation, StandardScaler).
 *
 * Every order statistic comes from ONE selection on the raw values: clipping is monotone, so the sorted
 * clipped column is clip() of the sorted raw one; imputing inserts z = n - m copies of the fill value
 * at position p = #{clipped < fill}, so rank r of the imputed column is raw rank r (r < p), the fill
 * (p <= r < p + z) or raw rank r - z; both candidate raw ranks are selected up front.
 */
export function fitColumn(
  kernels: Kernels,
  colPtr: number,
  n: number,
  orderPtr: number,
  settings: FitSettings,
  scratch: FitScratch,
  contiguous: boolean,
  compacted?: number,
  selected?: Map<number, number>,
): ColumnFit {
  const x = kernels.exports;
  const f32 = scratch.isF32 ? 1 : 0;
  // A compacted column (its `compacted` non-NaN values only) is selected from where it is.
  const s = compacted === undefined ? scratch : { ...scratch, valuesPtr: colPtr };
  const m = compacted ?? (x.tf_compact_not_nan(colPtr, n, 1, s.valuesPtr, f32) as number);
  const clip = settings.clip;
  const imputeOn = settings.impute.kind !== 'none';
  const z = imputeOn ? n - m : 0;
  const nScaled = m + z; // values the scaler sees (NaN excluded)
  // `selected`: this column's selection at columnRanks(n, m, settings), made elsewhere (another thread).
  const raw = selected ?? select(kernels, s, m, columnRanks(n, m, settings));
  const rawAt = (r: number) => raw.get(r)!;
  const deciles = DECILE_QS.map((q) => percentileLinear(rawAt, m, q));
  const clipLo = clip ? percentileLinear(rawAt, m, clip.lo) : null;
  const clipHi = clip ? percentileLinear(rawAt, m, clip.hi) : null;
  const clipped = (v: number) => (clip ? clipNumpy(v, clipLo!, clipHi!) : v);
  const clipArgs = [clip ? 1 : 0, clipLo ?? 0, clipHi ?? 0] as const;

  let statistic: number | null = null;
  switch (settings.impute.kind) {
    case 'median':
      statistic = nanmedian((r) => clipped(rawAt(r)), m, n, true); // SimpleImputer: np.ma.median at any length
      break;
    case 'mean': {
      // np.ma.mean: masked sum (masked entries as 0) in numpy's order, then * 1. / count.
      x.tf_clip_impute_to_f64(colPtr, n, orderPtr, f32, ...clipArgs, 0, 0, s.workPtr);
      const sum = x.tf_nansum_destructive(s.workPtr, n, contiguous ? 1 : 0) as number;
      statistic = m === 0 ? NaN : (sum * 1) / m;
      break;
    }
    case 'constant':
      statistic = settings.impute.value;
      break;
    case 'none':
      break;
  }
  const fill = statistic === null ? null : Number.isNaN(statistic) ? 0 : statistic; // keep_empty_features=True

  // What the scaler sees, rank by rank (see the doc comment). The sorted column is ascending, so rank
  // r lies below p exactly when its own value is below the fill, and below p + z exactly when raw rank
  // r - z (if any) is: both ranks were selected, so p itself is never counted.
  const scaledAt = (r: number) => {
    if (z === 0) return clipped(rawAt(r));
    if (r < m && clipped(rawAt(r)) < fill!) return clipped(rawAt(r));
    if (r - z < 0 || clipped(rawAt(r - z)) < fill!) return fill!;
    return clipped(rawAt(r - z));
  };

  const scaler: Record<string, number> = {};
  let a = 0;
  let b = 1;
  if (settings.scaler === 'robust') {
    // np.nanmedian on (n, d): the np.ma path below 600 rows, np.median from 600 on.
    const center = nanmedian(scaledAt, nScaled, n);
    const q25 = percentileLinear(scaledAt, nScaled, 25);
    const q75 = percentileLinear(scaledAt, nScaled, 75);
    let scale = q75 - q25;
    if (scale < 10 * EPS) scale = 1.0;
    scaler.center_ = center;
    scaler.scale_ = scale;
    a = center;
    b = scale;
  } else if (settings.scaler === 'standard') {
    x.tf_clip_impute_to_f64(colPtr, n, orderPtr, f32, ...clipArgs, fill !== null ? 1 : 0, fill ?? 0, s.workPtr);
    const cnt = nScaled;
    const sum = x.tf_nansum_destructive(s.workPtr, n, contiguous ? 1 : 0) as number;
    const mean = sum / cnt;
    x.tf_clip_impute_to_f64(colPtr, n, orderPtr, f32, ...clipArgs, fill !== null ? 1 : 0, fill ?? 0, s.workPtr);
    x.tf_centered_sums_destructive(s.workPtr, n, sum / cnt, contiguous ? 1 : 0, s.outPtr);
    const [corr, q] = kernels.f64(s.outPtr, 2);
    const variance = (q! - corr! ** 2 / cnt) / cnt;
    const constant = variance <= cnt * EPS * variance + (cnt * mean * EPS) ** 2;
    const scale = constant ? 1.0 : Math.sqrt(variance);
    scaler.mean_ = mean;
    scaler.var_ = variance;
    scaler.scale_ = scale;
    a = mean;
    b = scale;
  } else if (settings.scaler === 'minmax') {
    const dataMin = nScaled > 0 ? scaledAt(0) : NaN;
    const dataMax = nScaled > 0 ? scaledAt(nScaled - 1) : NaN;
    let range = dataMax - dataMin;
    if (range < 10 * EPS) range = 1.0;
    const sc = (1 - 0) / range;
    const mn = 0 - dataMin * sc;
    scaler.data_min_ = dataMin;
    scaler.data_max_ = dataMax;
    scaler.scale_ = sc;
    scaler.min_ = mn;
    a = sc;
    b = mn;
  }
  return {
    count: m,
    clipLo,
    clipHi,
    statistic,
    scaler,
    apply: { clipLo, clipHi, fill, a, b },
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
