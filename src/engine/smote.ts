/**
 * SMOTE oversampling with the same output as imbalanced-learn 0.10's
 * `SMOTE(k_neighbors=k, sampling_strategy='auto' | r, random_state=seed).fit_resample(X, y)` for binary
 * labels on float64 features.
 *
 * What imblearn does, and what this reproduces:
 * - n_synthetic: 'auto' = n_majority − n_minority; a float r in (0, 1] = int(n_majority * r − n_minority)
 *   (float64 product, truncation), which must be > 0.
 * - neighbours: NearestNeighbors(k + 1) fitted on the minority rows and queried with the same rows;
 *   the first of the k + 1 is dropped (normally the row itself). Neighbours are exact (brute force in
 *   WASM), ranked by the distance form sklearn uses for the shape: its KD-tree's Σ(a − b)² when
 *   d ≤ 15 and k + 1 < m // 2, else its brute-force (|a|² + |b|²) − 2·a·b. Exact ties (duplicate rows,
 *   integer data) are ordered like sklearn: its brute-force ArgKmin heaps are reproduced in the kernel
 *   (see assembly/smote.ts), and rows that meet a tie on the KD-tree path are re-queried through a
 *   copy of sklearn's KD-tree (smote-kdtree.ts).
 * - speed: in Node the search runs on two worker threads (smote-threads.ts) that share out the row
 *   blocks of the symmetric tiling; their heaps are merged by value, which is the answer wherever no
 *   exact tie touches the K-th place, and the rows where one does are re-queried in sklearn's order.
 *   The page keeps one thread (the engine already runs in a Web Worker).
 * - draws: `RandomState(seed).randint(0, m * k, n)` then `.uniform(size=n)`; synthetic row s is
 *   x[b] + u_s * (x[nns[b, c]] − x[b]) with b = idx // k, c = idx % k, in float64.
 * - output: the original rows, then the synthetic rows, labelled with the minority label.
 */
import { WorkbenchError, isAbortError, throwIfAborted } from '../core/errors';
import type { JobOptions } from '../core/progress';
import { throttleProgress } from '../core/progress';
import { SklearnKdTree } from './smote-kdtree';
import type { KnnHalf } from './smote-threads';
import { instantiateKernels, isNode, kernelModule, type KernelFlavour, type Kernels } from './wasm';

export interface SmoteOptions {
  /** imblearn's k_neighbors (default 5 in the recipe). */
  k: number;
  /** 'auto' balances the classes; a number r in (0, 1] asks for minority = r × majority. */
  ratio: 'auto' | number;
  /** random_state of the Python recipe (an integer in [0, 2^32 − 1]). */
  seed: number;
  /**
   * OpenMP threads of the sklearn run whose tie order to match. Only matters on sklearn's brute-force
   * path (d > 15, or k + 1 ≥ m // 2) for exact distance ties between *distinct* minority rows (e.g.
   * integer-valued features) when 256 < m ≤ 1024 × threads: sklearn then splits candidates between
   * threads. Default 2 (the reference machine). Duplicate rows give identical output either way.
   */
  sklearnThreads?: number;
}

export interface SmoteJobOptions extends JobOptions {
  /** Receives the synthetic rows in output order, `count` rows of d f64 each (the array is yours, unless rowsView). */
  onRows?: (rows: Float64Array, count: number) => void | Promise<void>;
  /**
   * Pass onRows a view of the kernel's output buffer instead of a copy: valid only until onRows returns
   * (or its promise settles), and saves a copy of every synthetic row for consumers that convert or
   * copy the rows at once.
   */
  rowsView?: boolean;
  /** Forces a kernel build (tests compare SIMD and scalar). */
  flavour?: KernelFlavour;
  /**
   * Neighbour-search threads: 'auto' (default) uses two worker threads in Node when the machine has
   * two cores and m ≥ 4096, else one; 1 forces this thread; 2 forces two (Node only). Same output.
   */
  searchThreads?: 'auto' | 1 | 2;
}

export interface SmoteResult {
  nSynthetic: number;
  /** Not known to smoteSynthesize (it sees only the minority rows); smoteClassPlan gives it. */
  minorityLabel?: number;
}

/** sklearn's pairwise-distance chunk (rows) and its parallel-on-X rule: 4 × chunk × threads < m. */
const SKLEARN_CHUNK_ROWS = 256;
const DEFAULT_SKLEARN_THREADS = 2;
/** Synthetic rows per onRows block are capped at about this many bytes. */
const ROW_BLOCK_BYTES = 4 * 2 ** 20;
/** Hand the event loop a turn at least this often so an abort can get in. */
const YIELD_MS = 50;

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The number of synthetic rows imblearn generates for these counts, or a SMOTE_IMPOSSIBLE error. */
export function smoteSampleCount(nMinority: number, nMajority: number, ratio: 'auto' | number): number {
  if (ratio === 'auto') return Math.max(0, nMajority - nMinority);
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
    throw new WorkbenchError(
      'SMOTE_IMPOSSIBLE',
      `The SMOTE ratio must be a number in (0, 1] (minority rows per majority row after oversampling); got ${String(ratio)}.`,
    );
  }
  // imblearn: int(n_majority * ratio - n_minority), float64 arithmetic then truncation toward zero.
  const n = Math.trunc(nMajority * ratio - nMinority);
  if (n <= 0) {
    const current = nMinority / nMajority;
    throw new WorkbenchError(
      'SMOTE_IMPOSSIBLE',
      `The SMOTE ratio ${ratio} asks for no new minority rows: the training split already has ${nMinority} minority for ${nMajority} majority rows (ratio ${current.toPrecision(4)}); choose a larger ratio.`,
    );
  }
  return n;
}

function checkSettings(m: number, d: number, opts: SmoteOptions): void {
  if (!Number.isInteger(opts.k) || opts.k < 1) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE k_neighbors must be an integer ≥ 1; got ${opts.k}.`);
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `The SMOTE seed must be an integer in [0, 2^32 − 1]; got ${opts.seed}.`);
  }
  if (!Number.isInteger(d) || d < 1) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs at least one feature; got d = ${d}.`);
  }
  if (opts.k >= m) {
    throw new WorkbenchError(
      'SMOTE_IMPOSSIBLE',
      `k_neighbors=${opts.k} needs at least ${opts.k + 1} minority rows; the training split has ${m}.`,
    );
  }
  if (m * opts.k > 0xffffffff) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE with ${m} minority rows and k=${opts.k} exceeds 2^32 neighbour slots.`);
  }
}

function checkFinite(x: Float64Array, d: number, what: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v - v !== 0) {
      throw new WorkbenchError(
        'SMOTE_IMPOSSIBLE',
        `SMOTE needs finite features, but ${what} row ${Math.floor(i / d)} feature ${i % d} is ${v}; impute before SMOTE.`,
      );
    }
  }
}

/** True when sklearn 1.2's NearestNeighbors(algorithm='auto') picks the KD-tree (exact Σ(a − b)² distances). */
export function sklearnUsesKdTree(m: number, d: number, nNeighbors: number): boolean {
  return d <= 15 && nNeighbors < Math.floor(m / 2);
}

/** How sklearn 1.2's ArgKmin would split the candidates between heaps for m rows (see assembly/smote.ts). */
export function sklearnHeapPlan(m: number, threads: number): { heaps: number; repush: boolean; owner: Int32Array } {
  const owner = new Int32Array(m);
  if (4 * SKLEARN_CHUNK_ROWS * threads < m) return { heaps: 1, repush: false, owner };
  const chunkRows = Math.min(m, SKLEARN_CHUNK_ROWS);
  const chunks = Math.ceil(m / chunkRows);
  const heaps = Math.min(chunks, threads);
  // OpenMP schedule(static): contiguous runs of chunks, the first (chunks % heaps) threads get one more.
  const q = Math.floor(chunks / heaps);
  const extra = chunks % heaps;
  for (let t = 0; t < heaps; t++) {
    const size = q + (t < extra ? 1 : 0);
    const first = t * q + Math.min(t, extra);
    owner.fill(t, first * chunkRows, Math.min(m, (first + size) * chunkRows));
  }
  return { heaps, repush: true, owner };
}

/** Row count from which the Node search runs on two threads (below it, thread start-up dominates). */
const PARALLEL_MIN_ROWS = 4096;

let nodeThreadsModule: Promise<typeof import('./smote-threads')> | null = null;
function nodeThreads(): Promise<typeof import('./smote-threads')> {
  nodeThreadsModule ??= import(/* @vite-ignore */ './smote-threads') as Promise<typeof import('./smote-threads')>;
  return nodeThreadsModule;
}

/**
 * sklearn's exact search on this thread: every candidate reaches each row's heaps in ascending order
 * (see assembly/smote.ts). Writes `nns`; on the KD-tree path, flags rows to re-query.
 */
async function searchOnThisThread(
  kern: Kernels,
  m: number,
  d: number,
  K: number,
  blocks: number,
  kdTree: boolean,
  plan: { heaps: number; repush: boolean; owner: Int32Array },
  xPtr: number,
  nrmPtr: number,
  nnsPtr: number,
  flagsPtr: number,
  job: SmoteJobOptions,
): Promise<void> {
  const e = kern.exports;
  const mp = e.smote_padded_rows(m) as number;
  const panelPtr = kern.alloc(mp * d * 8);
  const ownerPtr = kern.alloc(mp * 4);
  const slots = m * plan.heaps * K;
  const valsPtr = kern.alloc(slots * 8);
  const idxPtr = kern.alloc(slots * 4);
  const scratchVals = kern.alloc(K * 8);
  const scratchIdx = kern.alloc(K * 4);
  const tiesPtr = kern.alloc(m * 8);
  kern.f64(tiesPtr, m).fill(Infinity);
  const owner = kern.i32(ownerPtr, mp);
  owner.set(plan.owner);
  owner.fill(plan.owner[m - 1] ?? 0, m);
  e.smote_pack(xPtr, mp, d, panelPtr);
  e.smote_heaps_init(valsPtr, idxPtr, slots);

  // Block I costs (blocks − I) tiles; report tiles so the bar moves evenly.
  const totalTiles = (blocks * (blocks + 1)) / 2;
  const progress = throttleProgress(job.onProgress);
  let doneTiles = 0;
  let lastTurn = Date.now();
  progress({ phase: 'SMOTE neighbours', done: 0, total: totalTiles });
  for (let b = 0; b < blocks; b++) {
    throwIfAborted(job.signal, 'SMOTE');
    e.smote_knn_block(xPtr, panelPtr, nrmPtr, ownerPtr, m, d, K, plan.heaps, valsPtr, idxPtr, b, kdTree ? 1 : 0, tiesPtr);
    doneTiles += blocks - b;
    progress({ phase: 'SMOTE neighbours', done: doneTiles, total: totalTiles });
    if (Date.now() - lastTurn >= YIELD_MS) {
      await nextTurn();
      lastTurn = Date.now();
    }
  }
  throwIfAborted(job.signal, 'SMOTE');
  e.smote_knn_finish(valsPtr, idxPtr, m, K, plan.heaps, plan.repush ? 1 : 0, scratchVals, scratchIdx, nnsPtr, tiesPtr, flagsPtr);
}

/**
 * The same search split over two Node threads (smote-threads.ts): each pair is still computed once,
 * with bit-identical values, but candidates reach a row's heaps out of order, so the two halves are
 * merged by value and any row with an exact tie at or inside the K-th place is flagged. Flagged rows
 * are re-queried in sklearn's order: on the KD-tree path by the caller (the tree copy), on the
 * brute-force path here (smote_knn_rows). Returns false, leaving the work to searchOnThisThread, when
 * so many rows tie (duplicate-heavy data) that re-querying them would cost more than the plain search,
 * or when a thread fails (anything but a cancel).
 */
async function searchOnTwoThreads(
  kern: Kernels,
  minority: Float64Array,
  m: number,
  d: number,
  K: number,
  blocks: number,
  kdTree: boolean,
  xPtr: number,
  nrmPtr: number,
  nnsPtr: number,
  flagsPtr: number,
  job: SmoteJobOptions,
): Promise<boolean> {
  const e = kern.exports;
  const threads = await nodeThreads();
  const progress = throttleProgress(job.onProgress);
  let halves: [KnnHalf, KnnHalf];
  try {
    halves = await threads.knnOnTwoThreads(
      await kernelModule(kern.flavour),
      minority,
      m,
      d,
      K,
      blocks,
      kdTree,
      (done, total) => progress({ phase: 'SMOTE neighbours', done, total }),
      job.signal,
    );
  } catch (e) {
    // A thread that could not start or run (e.g. out of memory) leaves the search to this thread.
    if (isAbortError(e)) throw e;
    return false;
  }
  const [a, b] = halves;
  const slots = m * K;
  const valsA = kern.alloc(slots * 8);
  const idxA = kern.alloc(slots * 4);
  const valsB = kern.alloc(slots * 8);
  const idxB = kern.alloc(slots * 4);
  const scratchVals = kern.alloc(2 * K * 8);
  const scratchIdx = kern.alloc(2 * K * 4);
  const tiesA = kern.alloc(m * 8);
  const tiesB = kern.alloc(m * 8);
  kern.f64(tiesA, m).set(a.ties);
  kern.f64(tiesB, m).set(b.ties);
  kern.f64(valsA, slots).set(a.vals);
  kern.i32(idxA, slots).set(a.idx);
  kern.f64(valsB, slots).set(b.vals);
  kern.i32(idxB, slots).set(b.idx);
  kern.u8(flagsPtr, m).fill(0);
  e.smote_knn_merge(valsA, idxA, valsB, idxB, tiesA, tiesB, m, K, scratchVals, scratchIdx, nnsPtr, flagsPtr);
  if (kdTree) return true;
  const tied: number[] = [];
  kern.u8(flagsPtr, m).forEach((flag, row) => {
    if (flag) tied.push(row);
  });
  // A re-query costs m pairs, the symmetric search m²/2: past m/2 tied rows the plain search is cheaper.
  if (2 * tied.length > m) return false;
  if (tied.length > 0) {
    const rowsPtr = kern.alloc(tied.length * 4);
    const heapVals = kern.alloc(K * 8);
    const heapIdx = kern.alloc(K * 4);
    kern.i32(rowsPtr, tied.length).set(tied);
    throwIfAborted(job.signal, 'SMOTE');
    e.smote_knn_rows(xPtr, nrmPtr, m, d, K, rowsPtr, tied.length, heapVals, heapIdx, nnsPtr);
  }
  return true;
}

/** The k nearest neighbours (imblearn's `nns`, m × k i32) of every minority row, computed in `kernels`. */
async function nearestNeighbours(
  kern: Kernels,
  minority: Float64Array,
  m: number,
  d: number,
  k: number,
  threads: number,
  job: SmoteJobOptions,
): Promise<{ nnsPtr: number; xPtr: number }> {
  const e = kern.exports;
  const K = k + 1;
  const mp = e.smote_padded_rows(m) as number;
  const blockRows = e.SMOTE_BLOCK_ROWS.value as number;
  const blocks = Math.ceil(mp / blockRows);
  const kdTree = sklearnUsesKdTree(m, d, K);
  // The KD-tree path has one heap per query; the thread split only exists in the brute-force path.
  const plan = kdTree ? { heaps: 1, repush: false, owner: new Int32Array(m) } : sklearnHeapPlan(m, threads);
  const xPtr = kern.alloc(mp * d * 8);
  const nrmPtr = kern.alloc(mp * 8);
  const nnsPtr = kern.alloc(m * k * 4);
  const flagsPtr = kern.alloc(m);
  const x = kern.f64(xPtr, mp * d);
  x.set(minority);
  x.fill(0, m * d);
  e.smote_norms(xPtr, mp, d, nrmPtr);
  kern.u8(flagsPtr, m).fill(0);

  // Two threads when asked for (or by default on a multi-core Node for large m), and only where one
  // heap per row is sklearn's whole story (its per-thread heaps for small m are not split here).
  const wanted = job.searchThreads ?? 'auto';
  const parallel =
    isNode &&
    !plan.repush &&
    (wanted === 'auto' ? m >= PARALLEL_MIN_ROWS && (await nodeThreads()).searchCores() >= 2 : wanted >= 2);
  const settled = parallel && (await searchOnTwoThreads(kern, minority, m, d, K, blocks, kdTree, xPtr, nrmPtr, nnsPtr, flagsPtr, job));
  if (!settled) {
    kern.u8(flagsPtr, m).fill(0);
    await searchOnThisThread(kern, m, d, K, blocks, kdTree, plan, xPtr, nrmPtr, nnsPtr, flagsPtr, job);
  }
  throwIfAborted(job.signal, 'SMOTE');
  if (kdTree) {
    // Rows with a distance tie at or inside the k-th place: ask sklearn's KD-tree order.
    const flags = kern.u8(flagsPtr, m);
    let tree: SklearnKdTree | undefined;
    for (let row = 0; row < m; row++) {
      if (!flags[row]) continue;
      tree ??= new SklearnKdTree(minority, m, d);
      const order = tree.query(row, K);
      kern.i32(nnsPtr + row * k * 4, k).set(order.subarray(1));
      if ((row & 1023) === 0) throwIfAborted(job.signal, 'SMOTE');
    }
  }
  return { nnsPtr, xPtr };
}

/**
 * Plans and generates SMOTE rows. `minority` is the minority-class rows, row-major f64 (m × d), in their
 * order within the training split; nMajority is the majority count. Calls onRows with blocks of synthetic
 * rows (f64, row-major) in output order.
 */
export async function smoteSynthesize(
  minority: Float64Array,
  d: number,
  nMajority: number,
  opts: SmoteOptions,
  job: SmoteJobOptions = {},
): Promise<SmoteResult> {
  if (!Number.isInteger(d) || d < 1) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs at least one feature; got d = ${d}.`);
  }
  const threads = opts.sklearnThreads ?? DEFAULT_SKLEARN_THREADS;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `sklearnThreads must be an integer ≥ 1; got ${threads}.`);
  }
  if (minority.length % d !== 0) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `The minority rows (${minority.length} values) are not a whole number of rows of ${d} features.`);
  }
  const m = minority.length / d;
  const nSynthetic = smoteSampleCount(m, nMajority, opts.ratio);
  if (nSynthetic === 0) return { nSynthetic };
  checkSettings(m, d, opts);
  checkFinite(minority, d, 'minority');
  throwIfAborted(job.signal, 'SMOTE');

  const kern = await instantiateKernels(job.flavour);
  const e = kern.exports;
  const k = opts.k;
  // xPtr: the minority rows in WASM memory, unchanged by the search.
  const { nnsPtr, xPtr } = await nearestNeighbours(kern, minority, m, d, k, threads, job);

  const indicesPtr = kern.alloc(nSynthetic * 4);
  e.rng_seed(opts.seed >>> 0);
  e.smote_draw_indices((m * k) >>> 0, nSynthetic, indicesPtr);

  const blockRows = Math.max(1, Math.min(nSynthetic, Math.floor(ROW_BLOCK_BYTES / (d * 8))));
  const outPtr = kern.alloc(blockRows * d * 8);
  const progress = throttleProgress(job.onProgress);
  let lastTurn = Date.now();
  for (let start = 0; start < nSynthetic; start += blockRows) {
    throwIfAborted(job.signal, 'SMOTE');
    const count = Math.min(blockRows, nSynthetic - start);
    e.smote_interpolate(xPtr, d, nnsPtr, k, indicesPtr, start, count, outPtr);
    if (job.onRows) {
      const rows = kern.f64(outPtr, count * d);
      await job.onRows(job.rowsView ? rows : rows.slice(), count);
    }
    progress({ phase: 'SMOTE rows', done: start + count, total: nSynthetic });
    if (Date.now() - lastTurn >= YIELD_MS) {
      await nextTurn();
      lastTurn = Date.now();
    }
  }
  // A cancel that arrived with the last block still wins: the caller no longer wants the rows.
  throwIfAborted(job.signal, 'SMOTE');
  return { nSynthetic };
}

/** The k nearest minority neighbours imblearn uses (`nns`, m × k, row-major) — exposed for tests. */
export async function smoteNeighbours(
  minority: Float64Array,
  d: number,
  k: number,
  job: SmoteJobOptions & { sklearnThreads?: number } = {},
): Promise<Int32Array> {
  const m = minority.length / d;
  checkSettings(m, d, { k, ratio: 'auto', seed: 0 });
  checkFinite(minority, d, 'minority');
  const kern = await instantiateKernels(job.flavour);
  const { nnsPtr } = await nearestNeighbours(kern, minority, m, d, k, job.sklearnThreads ?? DEFAULT_SKLEARN_THREADS, job);
  return kern.i32(nnsPtr, m * k).slice();
}

export interface SmoteClassPlan {
  minorityLabel: number;
  majorityLabel: number;
  nMinority: number;
  nMajority: number;
  /** Synthetic rows imblearn will add (0 when 'auto' meets balanced classes). */
  nSynthetic: number;
}

/**
 * Which class SMOTE oversamples and by how much, by imblearn's rules: binary integer labels; the
 * majority is the larger class, the smaller label on a tie. Throws SMOTE_IMPOSSIBLE like imblearn.
 */
export function smoteClassPlan(y: ArrayLike<number>, ratio: SmoteOptions['ratio']): SmoteClassPlan {
  const counts = new Map<number, number>();
  for (let i = 0; i < y.length; i++) {
    const label = y[i]!;
    if (Number.isNaN(label)) throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE label ${i} of the training split is NaN.`);
    // imblearn refuses non-integer labels ("Unknown label type: 'continuous'").
    if (!Number.isInteger(label)) {
      throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs class labels, but label ${i} of the training split is ${label}.`);
    }
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const labels = [...counts.keys()].sort((a, b) => a - b);
  if (labels.length < 2) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs two classes, but the training split has only label ${labels[0] ?? '(none)'}.`);
  }
  if (labels.length > 2) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE here needs binary labels, but the training split has ${labels.length} classes (${labels.slice(0, 5).join(', ')}…).`);
  }
  const [a, b] = labels as [number, number];
  const majorityLabel = counts.get(b)! > counts.get(a)! ? b : a;
  const minorityLabel = majorityLabel === a ? b : a;
  const nMinority = counts.get(minorityLabel)!;
  const nMajority = counts.get(majorityLabel)!;
  return { minorityLabel, majorityLabel, nMinority, nMajority, nSynthetic: smoteSampleCount(nMinority, nMajority, ratio) };
}

/** Convenience for tests/small data: the full fit_resample result. */
export async function smoteResample(
  X: Float64Array,
  y: Float64Array,
  d: number,
  opts: SmoteOptions,
  job: SmoteJobOptions = {},
): Promise<{ X: Float64Array; y: Float64Array; isSynthetic: Uint8Array }> {
  const n = y.length;
  if (X.length !== n * d) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE got ${X.length} feature values for ${n} labels of ${d} features.`);
  }
  const plan = smoteClassPlan(y, opts.ratio);
  checkFinite(X, d, 'the training split');
  const minority = new Float64Array(plan.nMinority * d);
  for (let i = 0, r = 0; i < n; i++) {
    if (y[i] === plan.minorityLabel) minority.set(X.subarray(i * d, (i + 1) * d), d * r++);
  }
  const blocks: Float64Array[] = [];
  const { nSynthetic } = await smoteSynthesize(minority, d, plan.nMajority, opts, {
    ...job,
    onRows: (rows) => {
      blocks.push(rows);
    },
  });
  const outX = new Float64Array((n + nSynthetic) * d);
  outX.set(X);
  let at = n * d;
  for (const block of blocks) {
    outX.set(block, at);
    at += block.length;
  }
  const outY = new Float64Array(n + nSynthetic);
  outY.set(y);
  outY.fill(plan.minorityLabel, n);
  const isSynthetic = new Uint8Array(n + nSynthetic);
  isSynthetic.fill(1, n);
  return { X: outX, y: outY, isSynthetic };
}
