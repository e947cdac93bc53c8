/**
 * The data-quality report, streamed over the features file in a bounded number of passes (each pass
 * reads the file window by window through RowStream; memory stays bounded by the window, the radix
 * histograms and the per-row hashes — see "Memory" below):
 *
 *  1. counts, missing, ±inf, zeros, min, max, sums (-> means); top-16-bit radix histograms per column
 *     (all values, and per class when labels are given); a 32-bit hash per row.
 *  2. central moments about the final means (std, skewness — numpy's nanvar order, bit for bit), the
 *     mean-imputed Gram matrix (Pearson r), sparkline histograms, the first radix refinement (most
 *     percentile buckets are collected and resolved here), AUC bucket refinement, the buckets where
 *     the IQR fences can fall (so outliers are counted without another pass; empty buckets and a zero
 *     bucket holding only zeros are known from pass 1, so fences at or near 0 cost nothing), and the
 *     exact check of rows whose hash repeats (duplicates).
 *  3. (0 to 5 passes, rare) further refinement: a percentile bucket too large to collect (at most 2
 *     more levels) or AUC buckets still holding too many mixed pairs (float64 values differing only
 *     in low bits; at most 5 more levels — rounded values, a few per bucket, are settled in pass 2).
 *  4. (rare) IQR outlier counts for columns whose fence intervals overflow, or meet too many non-empty
 *     buckets or too many values to collect.
 * So 2 passes typically and at most 8. Labels are read window by window before pass 1, into counts and
 * one class byte per row.
 *
 * Memory (WASM is a bump arena that never shrinks, so what counts is what is allocated at once; the
 * CLI on 4M x 50 float32 with labels peaks at ~220 MB RSS, ~95 MiB of it WASM): the 8 MiB window and
 * its f64 block; radix histograms, 256 KiB per column, twice with labels (class 0 is counted in the
 * all-rows table, class 1 in its own) and three times if some label is neither 0 nor 1; the row
 * hashes and their sort scratch (8 bytes per row), freed after pass 1 so that pass 2's lookup tables
 * (136 KiB per column) and collected buckets (up to COLLECT_BUDGET_VALUES values, as f32 for float32
 * files) reuse them. In JS: the class bytes and, per column, the class counts of its occupied buckets.
 */
import { WorkbenchError, throwIfAborted } from '../core/errors';
import { openInput, inputName } from '../core/input';
import type { JobOptions, ProgressFn } from '../core/progress';
import { throttleProgress } from '../core/progress';
import { readArrayInfo, type ArrayInfo } from '../core/npy';
import type { ByteSource } from '../core/source';
import { checkMetadataAgainst, featureAnnotations, validateFeaturesMetadata, type FeaturesMetadata } from '../core/metadata';
import type { Alert, FeatureReport, JsonNumber, LabelReport, QualityReport, ReportRequest } from '../core/report-types';
import { WORKBENCH_VERSION } from '../core/version';
import { instantiateKernels, type KernelFlavour, type Kernels } from './wasm';
import { BLOCK_ROW_MULTIPLE, RowStream } from './stream';
import {
  AUC_REFINE_PER_PASS,
  bucketOfValue,
  bucketValueRange,
  ClassSeparation,
  OrderStatisticsSelector,
  percentileLinear,
  percentileRanks,
} from './quantiles';

/** Percentiles reported per feature (numpy `linear` over finite values). */
export const REPORT_PERCENTILES = [1, 25, 50, 75, 99] as const;
/** Bins of the per-feature sparkline histogram. */
export const HISTOGRAM_BINS = 32;
/** Rows are handed to the kernels in slices of about this many decoded bytes (fits a core's L2). */
const CACHE_SLICE_BYTES = 256 << 10;
/** Default streaming window for the features (raw bytes; the f64 block is 8 / itemSize times larger). */
export const REPORT_WINDOW_BYTES = 8 << 20;
/** Streaming window for labels (small: the labels' WASM buffers stay small). */
const LABEL_WINDOW_BYTES = 1 << 20;
/** Distinct label values listed at most. */
export const MAX_DISTINCT_LABELS = 20;
/** Rows above which duplicate detection is skipped (it keeps 8 bytes per row while it runs). */
export const DUPLICATE_CHECK_MAX_ROWS = 1 << 24;

// Alert thresholds (documented in the README's report section).
export const MISSING_FRACTION_ALERT = 0.2;
export const CORRELATION_ALERT = 0.95;
export const LEAKAGE_AUC_HIGH = 0.98;
export const LEAKAGE_AUC_LOW = 0.02;
export const SKEW_ALERT = 2;
export const IMBALANCE_MINORITY_FRACTION = 0.1;
/** Fewer expected minority rows than this in the validation or test split of the 0.15 / 0.176 recipe is an alert. */
export const MIN_MINORITY_PER_SPLIT = 10;
/** A value repeated at p1 / p99 that lies this many IQRs beyond p25 / p75 looks like a nodata fill. */
export const SENTINEL_IQR_FACTOR = 10;
/** Fill values commonly used for "no data" in geoscience rasters and tables. */
export const KNOWN_NODATA_VALUES = [-9999, -99999, -999, 9999, 99999, -32768, 32767, 65535, 1e20, -1e20];
/** float32's largest magnitude (±3.4028234663852886e38), a frequent GDAL nodata value. */
const FLOAT32_MAX = 3.4028234663852886e38;
const MAX_CORRELATION_ALERTS = 50;
/** AUC refinement targets per pass, all columns together (528 bytes each: 17 MiB). */
const AUC_TARGETS_PER_PASS = 32768;

/** AUC buckets refined per column per pass, within the all-columns budget. */
function aucBucketsPerPass(cols: number): number {
  return Math.max(1, Math.min(AUC_REFINE_PER_PASS, Math.floor(AUC_TARGETS_PER_PASS / Math.max(1, cols))));
}

/** Options of buildReport: JobOptions, plus the kernel build (tests compare SIMD with scalar). */
export interface ReportOptions extends JobOptions {
  flavour?: KernelFlavour;
}

const json = (x: number): JsonNumber => (Number.isFinite(x) ? x : null);

interface Labels {
  report: LabelReport;
  /** Per row: 0 negative, 1 positive, 255 other; only when the length matches the features. */
  classes?: Uint8Array;
}

/** Builds the quality report for `req` (one fresh kernel instance per job). */
export async function buildReport(req: ReportRequest, opts: ReportOptions = {}): Promise<QualityReport> {
  const signal = opts.signal;
  const progress = throttleProgress(opts.onProgress);
  throwIfAborted(signal, 'The report');
  const kernels = await instantiateKernels(opts.flavour);
  const meta = req.metadata !== undefined ? validateFeaturesMetadata(req.metadata, req.metadataName ?? 'features_metadata.json') : undefined;
  const featSrc = await openInput(req.features);
  try {
    const info = await readArrayInfo(featSrc);
    let labels: Labels | undefined;
    if (req.labels) {
      const labSrc = await openInput(req.labels);
      try {
        labels = await readLabels(labSrc, await readArrayInfo(labSrc), kernels, info.rows, inputName(req.labels));
      } finally {
        await labSrc.close?.();
      }
    }
    throwIfAborted(signal, 'The report');
    return await computeReport(featSrc, info, kernels, { labels, meta, req, signal, progress, windowBytes: req.windowBytes });
  } finally {
    await featSrc.close?.();
  }
}

/**
 * Reads labels `(n,)` or `(n, 1)` window by window and summarises them. Only the class bytes are
 * kept (1 byte per row); the stream's WASM buffers are freed before the features are read.
 */
async function readLabels(src: ByteSource, info: ArrayInfo, kernels: Kernels, nSamples: number, file: string): Promise<Labels> {
  if (info.shape.length === 2 && info.shape[1] !== 1) {
    throw new WorkbenchError('INPUT_MISMATCH', `${file}: labels must have shape (n,) or (n, 1), not (${info.shape.join(', ')}).`, file);
  }
  const mark = kernels.mark();
  const stream = new RowStream(src, info, kernels, { windowBytes: LABEL_WINDOW_BYTES });
  const n = stream.rows;
  let positives = 0;
  let negatives = 0;
  let missing = 0;
  const classes = new Uint8Array(n);
  const distinct = new Set<number>();
  await stream.pass((r0, nRows, ptr) => {
    const y = kernels.f64(ptr, nRows);
    for (let i = 0; i < nRows; i++) {
      const v = y[i]!;
      if (v === 1) {
        positives++;
        classes[r0 + i] = 1;
      } else if (v === 0) {
        negatives++;
        classes[r0 + i] = 0;
      } else {
        classes[r0 + i] = 255;
        if (Number.isNaN(v)) missing++;
      }
      if (!Number.isNaN(v) && distinct.size <= 1000) distinct.add(v === 0 ? 0 : v);
    }
  });
  kernels.release(mark);
  const sorted = [...distinct].sort((a, b) => a - b);
  const report: LabelReport = {
    file,
    n,
    distinct: sorted.slice(0, MAX_DISTINCT_LABELS).map(json),
    n_distinct: sorted.length,
    positives,
    negatives,
    positive_fraction: n > 0 ? positives / n : null,
    missing,
    invalid: n - positives - negatives - missing,
    length_mismatch: n !== nSamples,
  };
  return { report, classes: n === nSamples ? classes : undefined };
}

interface ComputeContext {
  labels?: Labels;
  meta?: FeaturesMetadata;
  req: ReportRequest;
  signal?: AbortSignal;
  progress: ProgressFn;
  windowBytes?: number;
}

async function computeReport(src: ByteSource, info: ArrayInfo, kernels: Kernels, ctx: ComputeContext): Promise<QualityReport> {
  const ex = kernels.exports;
  const need = reportMemoryBytes(info.shape.length === 2 ? info.shape[1]! : 1, !!ctx.labels?.classes);
  if (need > MAX_REPORT_MEMORY_BYTES) {
    throw new WorkbenchError(
      'NPY_BAD_SHAPE',
      `${src.name}: ${info.shape[1]} feature columns would need about ${(need / 2 ** 30).toFixed(1)} GiB of WebAssembly memory for the report (radix histograms and correlation matrix); at most about ${MAX_REPORT_MEMORY_BYTES / 2 ** 30} GiB is used.`,
      src.name,
    );
  }
  const stream = new RowStream(src, info, kernels, { windowBytes: ctx.windowBytes ?? REPORT_WINDOW_BYTES, signal: ctx.signal });
  const { rows, cols } = stream;
  let passes = 0;
  // Each decoded block is handed to the kernels in cache-sized slices, so the several kernels of a
  // pass read a slice from cache rather than the whole block from memory each time.
  const sliceRows = Math.max(BLOCK_ROW_MULTIPLE, Math.floor(CACHE_SLICE_BYTES / Math.max(1, cols * 8 * BLOCK_ROW_MULTIPLE)) * BLOCK_ROW_MULTIPLE);
  const runPass = async (what: string, onRows: (r0: number, n: number, ptr: number) => void) => {
    passes++;
    const phase = `pass ${passes}: ${what}`;
    await stream.pass((r0, n, ptr) => {
      for (let s = 0; s < n; s += sliceRows) onRows(r0 + s, Math.min(sliceRows, n - s), ptr + s * cols * 8);
    }, ctx.progress, phase);
  };

  // ---- pass 1: basic statistics, radix histograms, row hashes
  const F = ex.STATS_FIELDS.value as number;
  const accPtr = kernels.alloc(F * cols * 8);
  const acc0 = kernels.f64(accPtr, F * cols);
  acc0.fill(0);
  acc0.fill(Infinity, 5 * cols, 6 * cols); // STATS_MIN
  acc0.fill(-Infinity, 6 * cols, 7 * cols); // STATS_MAX
  const classes = ctx.labels?.classes;
  // Every value of these dtypes is exactly a float32: values collected for exact percentiles take half the memory.
  const float32Values = info.kind === 'f' ? info.itemSize <= 4 : info.itemSize <= 2;
  const sel = new OrderStatisticsSelector(kernels, rows, cols, { domain: 'finite', classes, float32Values });
  const checkDuplicates = rows >= 2 && cols > 0 && rows <= DUPLICATE_CHECK_MAX_ROWS;
  // The row hashes and their sort scratch are the arena's last allocations (the selector's per-block
  // scratch is taken and freed at the top during each call): freed once the repeated hashes are found,
  // pass 2's buffers reuse that memory.
  const hashesMark = kernels.mark();
  const hashPtr = checkDuplicates ? kernels.alloc(rows * 4) : 0;
  await runPass('statistics', (r0, n, ptr) => {
    ex.stats_basic(ptr, n, cols, accPtr);
    sel.consumeFirst(r0, n, ptr);
    if (checkDuplicates) ex.dups_row_hash(ptr, n, cols, hashPtr + r0 * 4);
  });
  const acc = kernels.f64(accPtr, F * cols).slice();
  const field = (f: number, c: number) => acc[f * cols + c]!;
  const count = (c: number) => field(0, c);
  const means = new Float64Array(cols);
  for (let c = 0; c < cols; c++) means[c] = count(c) > 0 ? field(7, c) / count(c) : 0;

  // Percentile ranks among finite values: numpy's two neighbours per q.
  const rankLists: number[][] = [];
  for (let c = 0; c < cols; c++) {
    const m = count(c);
    rankLists[c] = m > 0 ? REPORT_PERCENTILES.flatMap((q) => percentileRanks(m, q)) : [];
    sel.request(c, rankLists[c]!);
  }
  const separations = classes && ctx.labels!.report.positives > 0 && ctx.labels!.report.negatives > 0 ? Array.from({ length: cols }, (_, c) => new ClassSeparation(sel, c, aucBucketsPerPass(cols))) : [];

  // Duplicate candidates: hashes occurring more than once (sorted), checked exactly in pass 2.
  let candPtr = 0;
  let nCands = 0;
  if (checkDuplicates) {
    const tmp = kernels.alloc(rows * 4);
    const counts = kernels.alloc(65536 * 4);
    ex.dups_sort_u32(hashPtr, rows, tmp, counts);
    nCands = ex.dups_repeated(hashPtr, rows, tmp); // the repeated values are written over the scratch buffer
    kernels.release(hashesMark);
    candPtr = kernels.alloc(nCands * 4);
    kernels.u8(0, kernels.exports.memory.buffer.byteLength).copyWithin(candPtr, tmp, tmp + nCands * 4); // candPtr <= tmp
  }

  // ---- pass 2: moments, Gram, sparkline, first refinement, duplicates
  const meansPtr = kernels.alloc(cols * 8);
  kernels.f64(meansPtr, cols).set(means);
  const momentsPtr = kernels.alloc(2 * cols * 8);
  const gramPtr = kernels.alloc(cols * cols * 8);
  const centredPtr = kernels.alloc(4 * cols * 8);
  const minsPtr = kernels.alloc(cols * 8);
  const maxsPtr = kernels.alloc(cols * 8);
  const histPtr = kernels.alloc(cols * HISTOGRAM_BINS * 8);
  kernels.f64(momentsPtr, 2 * cols).fill(0);
  kernels.f64(gramPtr, cols * cols).fill(0);
  kernels.f64(minsPtr, cols).set(acc.subarray(5 * cols, 6 * cols));
  kernels.f64(maxsPtr, cols).set(acc.subarray(6 * cols, 7 * cols));
  kernels.f64(histPtr, cols * HISTOGRAM_BINS).fill(0);
  for (const s of separations) s.planRefinement();
  const colMin = (c: number) => field(5, c);
  const colMax = (c: number) => field(6, c);
  const zeros = (c: number) => field(4, c);
  const outlierPlans = planOutlierBuckets(sel, cols, count, zeros, rankLists, colMin, colMax);
  let refining = sel.plan();
  const dupHashPtr = nCands > 0 ? kernels.alloc(stream.rowsPerBlock * 4) : 0;
  const dupIdxPtr = nCands > 0 ? kernels.alloc(stream.rowsPerBlock * 4) : 0;
  const representatives = new Map<number, Float64Array[]>();
  let duplicateRows = 0;
  await runPass('moments, correlation, percentiles', (r0, n, ptr) => {
    ex.stats_central(ptr, n, cols, meansPtr, momentsPtr);
    ex.stats_gram(ptr, n, cols, meansPtr, centredPtr, gramPtr);
    ex.stats_histogram(ptr, n, cols, minsPtr, maxsPtr, HISTOGRAM_BINS, histPtr);
    if (refining) sel.consume(r0, n, ptr);
    if (nCands > 0) {
      ex.dups_row_hash(ptr, n, cols, dupHashPtr);
      const k = ex.dups_find(dupHashPtr, n, candPtr, nCands, dupIdxPtr) as number;
      if (k > 0) duplicateRows += verifyDuplicates(kernels, ptr, cols, dupHashPtr, dupIdxPtr, k, representatives);
    }
  });
  const outlierValues = new Map<number, Map<number, Float64Array>>();
  for (const [c, plan] of outlierPlans) {
    outlierValues.set(c, new Map([...plan].map(([bucket, handle]) => [bucket, sel.bucketValues(handle)])));
  }
  if (refining) sel.finishPass();
  for (const s of separations) s.collect();

  // ---- passes 3..: further refinement (rare: buckets too large to collect, or AUC ties)
  for (;;) {
    const aucMore = separations.map((s) => s.planRefinement()).some(Boolean);
    refining = sel.plan();
    if (!refining) break;
    await runPass('refining percentiles', (r0, n, ptr) => sel.consume(r0, n, ptr));
    sel.finishPass();
    if (aucMore) for (const s of separations) s.collect();
  }

  // ---- IQR outliers: from the pass-1 histogram plus the buckets collected in pass 2; a last pass
  // only for columns whose bounds' buckets could not be collected.
  const values = sel.values();
  const percentiles: number[][] = [];
  for (let c = 0; c < cols; c++) {
    const m = count(c);
    const got = values.get(c) ?? [];
    const byRank = new Map<number, number>();
    rankLists[c]!.forEach((r, i) => byRank.set(r, got[i]!));
    percentiles[c] = REPORT_PERCENTILES.map((q) => percentileLinear((r) => byRank.get(r)!, m, q));
  }
  const outliers = new Float64Array(cols);
  const bounds = percentiles.map(([, p25, , p75]) => {
    const iqr = p75! - p25!;
    return [p25! - 1.5 * iqr, p75! + 1.5 * iqr] as const;
  });
  const needPass: number[] = [];
  for (let c = 0; c < cols; c++) {
    if (count(c) === 0) continue;
    const got = outlierValues.get(c);
    const n = got ? outliersFromBuckets(sel.histogram(c), got, zeros(c), bounds[c]![0], bounds[c]![1], colMin(c), colMax(c)) : undefined;
    if (n === undefined) needPass.push(c);
    else outliers[c] = n;
  }
  if (needPass.length > 0) {
    const loPtr = kernels.alloc(cols * 8);
    const hiPtr = kernels.alloc(cols * 8);
    const outPtr = kernels.alloc(cols * 8);
    kernels.f64(loPtr, cols).set(bounds.map((b) => b[0]));
    kernels.f64(hiPtr, cols).set(bounds.map((b) => b[1]));
    kernels.f64(outPtr, cols).fill(0);
    await runPass('outliers', (_r0, n, ptr) => ex.stats_count_outside(ptr, n, cols, loPtr, hiPtr, outPtr));
    const counted = kernels.f64(outPtr, cols);
    for (const c of needPass) outliers[c] = counted[c]!;
  }

  // ---- assemble
  const moments = kernels.f64(momentsPtr, 2 * cols).slice();
  const gram = kernels.f64(gramPtr, cols * cols).slice();
  const hist = kernels.f64(histPtr, cols * HISTOGRAM_BINS).slice();
  const names = featureAnnotations(ctx.meta, cols);
  const features: FeatureReport[] = [];
  for (let c = 0; c < cols; c++) {
    const n = count(c);
    const m2 = moments[c]! / n;
    const m3 = moments[cols + c]! / n;
    const std = n > 0 ? Math.sqrt(m2) : NaN;
    const skew = n > 0 && m2 > 0 ? m3 / (m2 * Math.sqrt(m2)) : NaN;
    const [p1, p25, p50, p75, p99] = percentiles[c]!;
    const f: FeatureReport = {
      index: c,
      ...names[c]!,
      count: n,
      missing: field(1, c),
      inf: field(2, c) + field(3, c),
      pos_inf: field(2, c),
      neg_inf: field(3, c),
      zeros: field(4, c),
      min: n > 0 ? json(field(5, c)) : null,
      max: n > 0 ? json(field(6, c)) : null,
      mean: n > 0 ? json(means[c]!) : null,
      std: json(std),
      skewness: json(skew),
      p1: json(p1!),
      p25: json(p25!),
      p50: json(p50!),
      p75: json(p75!),
      p99: json(p99!),
      iqr_outliers: outliers[c]!,
      histogram: {
        min: n > 0 ? json(field(5, c)) : null,
        max: n > 0 ? json(field(6, c)) : null,
        counts: Array.from(hist.subarray(c * HISTOGRAM_BINS, (c + 1) * HISTOGRAM_BINS)),
      },
    };
    if (separations.length > 0) f.auc = json(separations[c]!.auc());
    features.push(f);
  }
  const matrix: JsonNumber[][] = [];
  for (let i = 0; i < cols; i++) {
    const row: JsonNumber[] = [];
    for (let j = 0; j < cols; j++) {
      const [a, b] = i <= j ? [i, j] : [j, i];
      const gij = gram[a * cols + b]!;
      const denom = Math.sqrt(gram[a * cols + a]! * gram[b * cols + b]!);
      row.push(denom > 0 ? json(Math.max(-1, Math.min(1, gij / denom))) : null);
    }
    matrix.push(row);
  }
  const missingPer = features.map((f) => f.missing);
  const missingCount = missingPer.reduce((a, b) => a + b, 0);
  const cells = rows * cols;
  const report: QualityReport = {
    workbench_version: WORKBENCH_VERSION,
    files: {
      features: inputName(ctx.req.features),
      ...(ctx.req.labels ? { labels: inputName(ctx.req.labels) } : {}),
      ...(ctx.meta ? { metadata: ctx.req.metadataName ?? 'features_metadata.json' } : {}),
    },
    dtype: info.dtype,
    shape: info.shape,
    fortran_order: info.fortranOrder,
    bytes: info.dataBytes,
    n_samples: rows,
    n_features: cols,
    missing_values: { count: missingCount, fraction: cells > 0 ? missingCount / cells : null, per_feature: missingPer },
    inf_values: { count: features.reduce((a, f) => a + f.inf, 0), per_feature: features.map((f) => f.inf) },
    constant_features: features.filter((f) => f.count > 0 && f.min === f.max).map((f) => f.index),
    duplicate_rows: checkDuplicates || rows < 2 ? duplicateRows : null,
    features,
    ...(ctx.labels ? { labels: ctx.labels.report } : {}),
    correlation: {
      method: 'pearson, pairwise over all rows with each missing or infinite value replaced by its column mean (mean imputation)',
      matrix,
    },
    alerts: [],
    passes,
    warnings: [...info.warnings],
  };
  report.alerts = buildAlerts(report, ctx, checkDuplicates || rows < 2);
  return report;
}

const FIRST_FINITE_BUCKET = 0x0010;
const LAST_FINITE_BUCKET = 0xffef;
/** Values collected in pass 2 to count IQR outliers without another pass (8 bytes each). */
const OUTLIER_COLLECT_BUDGET = 4 << 20;
/** Buckets a bound may fall in, at most (else that column's outliers are counted in a last pass). */
const OUTLIER_MAX_BUCKETS = 64;

/** The bucket of +0 and -0 (and of the tiniest positive subnormals). */
const ZERO_BUCKET = 0x8000;

/**
 * True when pass 1 already tells every value of bucket `k`: it is empty, or it is the zero bucket and
 * holds only the column's exact zeros. Such buckets are never collected.
 */
function bucketKnown(hist: Uint32Array, k: number, zeros: number): boolean {
  return hist[k] === 0 || (k === ZERO_BUCKET && hist[k] === zeros);
}

/**
 * Plans pass-2 collection of the buckets where each column's IQR fences (p25 - 1.5 IQR, p75 + 1.5 IQR)
 * can fall. After pass 1, p25 and p75 are known to lie in their radix buckets, so each fence lies in
 * an interval; every bucket meeting it whose values pass 1 does not already tell is collected (usually
 * one or two sparse tail buckets). Only those count against OUTLIER_MAX_BUCKETS: a fence interval
 * around 0 (p25 = p75 = 0, say) spans hundreds of buckets of tiny magnitudes, nearly all empty, and the
 * zero bucket itself is known when it holds nothing but zeros. Columns whose intervals are still too
 * wide or too full are left to a last counting pass.
 */
function planOutlierBuckets(
  sel: OrderStatisticsSelector,
  cols: number,
  count: (c: number) => number,
  zeros: (c: number) => number,
  rankLists: number[][],
  colMin: (c: number) => number,
  colMax: (c: number) => number,
): Map<number, Map<number, number>> {
  const plans = new Map<number, Map<number, number>>();
  let budget = OUTLIER_COLLECT_BUDGET;
  for (let c = 0; c < cols; c++) {
    const m = count(c);
    if (m === 0 || rankLists[c]!.length === 0) continue;
    if (colMin(c) === colMax(c)) {
      plans.set(c, new Map()); // constant: both fences equal the value, nothing lies beyond them
      continue;
    }
    const [r25a, r25b] = percentileRanks(m, 25);
    const [r75a, r75b] = percentileRanks(m, 75);
    const b = [r25a, r25b, r75a, r75b].map((r) => sel.firstBucket(c, r));
    if (b.some((x) => x === undefined || x < FIRST_FINITE_BUCKET || x > LAST_FINITE_BUCKET)) continue;
    // Each quartile lies in its buckets' value ranges, and within the column's [min, max].
    const p25min = Math.max(colMin(c), bucketValueRange(b[0]!)[0]);
    const p25max = Math.min(colMax(c), bucketValueRange(b[1]!)[1]);
    const p75min = Math.max(colMin(c), bucketValueRange(b[2]!)[0]);
    const p75max = Math.min(colMax(c), bucketValueRange(b[3]!)[1]);
    // Interval arithmetic on lo = 2.5 p25 - 1.5 p75 and hi = 2.5 p75 - 1.5 p25, widened for rounding.
    const slack = 1e-9 * (Math.abs(p25min) + Math.abs(p25max) + Math.abs(p75min) + Math.abs(p75max)) + 1e-300;
    const ranges: Array<[number, number]> = [
      [2.5 * p25min - 1.5 * p75max - slack, 2.5 * p25max - 1.5 * p75min + slack],
      [2.5 * p75min - 1.5 * p25max - slack, 2.5 * p75max - 1.5 * p25min + slack],
    ];
    if (ranges.flat().some((x) => !Number.isFinite(x))) continue;
    const buckets = new Set<number>();
    // A fence that cannot pass the column's min (lo) or max (hi) has nothing beyond it: no buckets.
    if (ranges[0]![1] <= colMin(c)) ranges[0] = [1, 0];
    if (ranges[1]![0] >= colMax(c)) ranges[1] = [1, 0];
    const hist = sel.histogram(c);
    const z0 = zeros(c);
    for (const [a, z] of ranges) {
      if (a > z) continue;
      const from = Math.max(FIRST_FINITE_BUCKET, bucketOfValue(a));
      const to = Math.min(LAST_FINITE_BUCKET, bucketOfValue(z));
      for (let k = from; k <= to && buckets.size <= OUTLIER_MAX_BUCKETS; k++) if (!bucketKnown(hist, k, z0)) buckets.add(k);
    }
    if (buckets.size > OUTLIER_MAX_BUCKETS) continue;
    const need = [...buckets].reduce((sum, k) => sum + hist[k]!, 0);
    if (need > budget) continue;
    budget -= need;
    plans.set(c, new Map([...buckets].map((k) => [k, sel.collectBucket(c, k)])));
  }
  return plans;
}

/**
 * Finite values below `lo` or above `hi` from the pass-1 histogram (whole buckets) and the values of
 * the fences' own buckets (a fence at or beyond the column's min / max has nothing past it);
 * undefined when a fence's bucket was neither collected nor known from pass 1 (bucketKnown).
 */
function outliersFromBuckets(
  hist: Uint32Array,
  collected: Map<number, Float64Array>,
  zeros: number,
  lo: number,
  hi: number,
  min: number,
  max: number,
): number | undefined {
  // Values of bucket `k` past a fence (`past`: below the low fence, above the high one).
  const beyond = (k: number, past: (v: number) => boolean): number | undefined => {
    if (bucketKnown(hist, k, zeros)) return past(0) ? hist[k]! : 0; // empty, or only zeros
    const inside = collected.get(k);
    if (!inside) return undefined;
    let n = 0;
    for (const v of inside) if (past(v)) n++;
    return n;
  };
  let n = 0;
  if (Number.isFinite(lo) && lo > min) {
    const b = bucketOfValue(lo);
    if (b >= FIRST_FINITE_BUCKET) {
      const inside = beyond(Math.min(b, LAST_FINITE_BUCKET), (v) => v < lo);
      if (inside === undefined) return undefined;
      for (let k = FIRST_FINITE_BUCKET; k < Math.min(b, LAST_FINITE_BUCKET + 1); k++) n += hist[k]!;
      n += inside;
    }
  }
  if (Number.isFinite(hi) && hi < max) {
    const b = bucketOfValue(hi);
    if (b <= LAST_FINITE_BUCKET) {
      const inside = beyond(Math.max(b, FIRST_FINITE_BUCKET), (v) => v > hi);
      if (inside === undefined) return undefined;
      for (let k = Math.max(b, FIRST_FINITE_BUCKET - 1) + 1; k <= LAST_FINITE_BUCKET; k++) n += hist[k]!;
      n += inside;
    }
  }
  return n;
}

/** The report's WASM memory grows with the columns: radix histograms (x2 or x3 with labels), lookup, Gram. */
const MAX_REPORT_MEMORY_BYTES = 3 * 2 ** 30;

/** Approximate WASM bytes the report needs for `cols` columns, besides the streaming window. */
function reportMemoryBytes(cols: number, withClasses: boolean): number {
  const perColumn = 65536 * 4 * (withClasses ? 3 : 1) + 65536 * 2 + 2 * 65536 * 4;
  return cols * perColumn + cols * cols * 8;
}

/** Compares candidate rows with the representatives of their hash; returns how many repeat one. */
function verifyDuplicates(
  kernels: Kernels,
  blockPtr: number,
  cols: number,
  hashPtr: number,
  idxPtr: number,
  k: number,
  reps: Map<number, Float64Array[]>,
): number {
  const idx = kernels.u32(idxPtr, k).slice();
  const hashes = kernels.u32(hashPtr, idx[k - 1]! + 1);
  const block = kernels.f64(blockPtr, (idx[k - 1]! + 1) * cols);
  let dups = 0;
  for (const r of idx) {
    const row = block.slice(r * cols, (r + 1) * cols);
    const h = hashes[r]!;
    const group = reps.get(h);
    if (!group) {
      reps.set(h, [row]);
      continue;
    }
    if (group.some((rep) => sameRow(rep, row))) dups++;
    else group.push(row); // a hash collision: a different row, kept as its own representative
  }
  return dups;
}

function sameRow(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && !(x !== x && y !== y)) return false; // NaN equals NaN; -0 === 0
  }
  return true;
}

const fmt = (x: number) => (Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : String(Number(x.toPrecision(6))));
const pct = (x: number) => `${(100 * x).toFixed(x < 0.001 ? 3 : 1)}%`;

/** The alerts of a finished report. */
function buildAlerts(r: QualityReport, ctx: ComputeContext, duplicatesChecked: boolean): Alert[] {
  const alerts: Alert[] = [];
  const add = (severity: Alert['severity'], code: string, message: string, feature?: number) =>
    alerts.push(feature === undefined ? { severity, code, message } : { severity, code, feature, message });
  if (r.n_samples === 0) add('error', 'empty_dataset', `${r.files.features} has no rows.`);
  if (r.n_features === 0) add('error', 'no_features', `${r.files.features} has no feature columns.`);
  for (const w of r.warnings) add('info', 'reader_warning', w);

  for (const f of r.features) {
    const label = `Feature ${f.index} (${f.name})`;
    const n = r.n_samples;
    if (f.count === 0 && n > 0) add('error', 'all_missing', `${label} has no finite values.`, f.index);
    else if (f.min === f.max && f.count > 0) add('warning', 'constant_feature', `${label} is constant (${fmt(f.min!)} in all ${f.count} finite values).`, f.index);
    if (n > 0 && f.missing / n > MISSING_FRACTION_ALERT && f.count > 0) {
      add('warning', 'high_missing', `${label} is ${pct(f.missing / n)} missing (${f.missing} of ${n}).`, f.index);
    }
    if (f.inf > 0) add('warning', 'infinite_values', `${label} has ${f.inf} infinite values (${f.pos_inf} +inf, ${f.neg_inf} -inf); they are treated as missing in the statistics.`, f.index);
    const sentinel = suspectedSentinel(f);
    if (sentinel) add('warning', 'nodata_sentinel', `${label}: ${sentinel}`, f.index);
    if (f.skewness !== null && Math.abs(f.skewness) > SKEW_ALERT && f.min !== f.max) {
      const hint = f.min !== null && f.min >= 0 ? 'a log transform (log1p) may help' : 'a signed log or rank transform may help';
      add('info', 'strong_skew', `${label} is strongly skewed (skewness ${f.skewness.toFixed(2)}); ${hint}.`, f.index);
    }
    if (f.auc !== undefined && f.auc !== null && (f.auc >= LEAKAGE_AUC_HIGH || f.auc <= LEAKAGE_AUC_LOW)) {
      add('warning', 'possible_leakage', `${label} separates the classes almost perfectly (AUC ${f.auc.toFixed(4)}): check it is not derived from the labels.`, f.index);
    }
  }
  if (!duplicatesChecked) add('info', 'duplicates_not_checked', `Duplicate rows were not checked (more than ${DUPLICATE_CHECK_MAX_ROWS} rows).`);
  else if (r.duplicate_rows !== null && r.duplicate_rows > 0) {
    add('warning', 'duplicate_rows', `${r.duplicate_rows} rows (${pct(r.duplicate_rows / r.n_samples)}) repeat an earlier row exactly; duplicates can leak between train and test splits.`);
  }

  let corrAlerts = 0;
  let corrMore = 0;
  const m = r.correlation.matrix;
  for (let i = 0; i < m.length; i++) {
    for (let j = i + 1; j < m.length; j++) {
      const v = m[i]![j];
      if (v === null || v === undefined || Math.abs(v) < CORRELATION_ALERT) continue;
      if (corrAlerts++ < MAX_CORRELATION_ALERTS) {
        add('warning', 'high_correlation', `Features ${i} (${r.features[i]!.name}) and ${j} (${r.features[j]!.name}) are highly correlated (r = ${v.toFixed(4)}).`, i);
      } else corrMore++;
    }
  }
  if (corrMore > 0) add('warning', 'high_correlation', `${corrMore} more highly correlated pairs are not listed.`);

  const lab = r.labels;
  if (lab) {
    if (lab.length_mismatch) add('error', 'labels_length_mismatch', `${lab.file} has ${lab.n} labels but ${r.files.features} has ${r.n_samples} rows.`);
    if (lab.missing > 0) add('error', 'labels_missing', `${lab.file} has ${lab.missing} missing (NaN) labels.`);
    if (lab.invalid > 0) add('error', 'labels_invalid', `${lab.file} has ${lab.invalid} labels other than 0 and 1 (values: ${lab.distinct.filter((v) => v !== 0 && v !== 1).slice(0, 5).join(', ')}).`);
    const valid = lab.positives + lab.negatives;
    if (valid > 0 && (lab.positives === 0 || lab.negatives === 0)) {
      add('error', 'labels_single_class', `${lab.file} has only ${lab.positives === 0 ? 'negatives' : 'positives'} (${valid} labels): a classifier cannot be trained or stratified.`);
    } else if (valid > 0) {
      const minority = Math.min(lab.positives, lab.negatives);
      const which = lab.positives <= lab.negatives ? 'positives' : 'negatives';
      if (minority / valid < IMBALANCE_MINORITY_FRACTION) {
        add('warning', 'class_imbalance', `Class imbalance: ${lab.positives} positives vs ${lab.negatives} negatives (${pct(lab.positives / valid)} positive).`);
      }
      // The 0.15 / 0.176 stratified recipe puts about 15% of each class in test and 0.85 * 17.6% in validation.
      const inTest = Math.round(minority * 0.15);
      const inVal = Math.round(minority * 0.85 * 0.176);
      if (minority < 2) {
        add('error', 'too_few_for_split', `Only ${minority} ${which}: a stratified split needs at least 2 of each class (scikit-learn refuses).`);
      } else if (Math.min(inTest, inVal) < MIN_MINORITY_PER_SPLIT) {
        add('warning', 'too_few_for_split', `Only ${minority} ${which}: the stratified 0.15 / 0.176 split leaves about ${inVal} in validation and ${inTest} in test (fewer than ${MIN_MINORITY_PER_SPLIT}).`);
      }
    }
  }
  if (ctx.meta) {
    for (const p of checkMetadataAgainst(ctx.meta, r.n_features)) add('warning', 'metadata_mismatch', `${r.files.metadata}: ${p.message}`);
  }
  return alerts;
}

/** A sentence when a feature's extreme looks like a nodata fill value, else undefined. */
function suspectedSentinel(f: FeatureReport): string | undefined {
  if (f.count === 0 || f.min === null || f.max === null) return undefined;
  for (const v of [f.min, f.max]) {
    if (KNOWN_NODATA_VALUES.includes(v)) return `the value ${v} looks like a nodata fill; treat it as missing if so.`;
    if (Math.abs(v) >= FLOAT32_MAX * 0.9999999) return `the value ${fmt(v)} (float32's largest magnitude) looks like a nodata fill; treat it as missing if so.`;
  }
  const { p1, p25, p75, p99, min, max } = f;
  if (p1 === null || p25 === null || p75 === null || p99 === null) return undefined;
  const iqr = p75 - p25;
  if (iqr > 0 && p1 === min && p25 - min > SENTINEL_IQR_FACTOR * iqr) {
    return `at least 1% of values equal ${fmt(min)}, far below the rest (p25 ${fmt(p25)}): a nodata fill value?`;
  }
  if (iqr > 0 && p99 === max && max - p75 > SENTINEL_IQR_FACTOR * iqr) {
    return `at least 1% of values equal ${fmt(max)}, far above the rest (p75 ${fmt(p75)}): a nodata fill value?`;
  }
  return undefined;
}
