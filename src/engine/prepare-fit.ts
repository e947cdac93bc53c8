/**
 * The prepare job's fit (src/engine/prepare.ts step 3) for a range of feature columns: the training
 * values of as many columns as fit in `memoryBytes` are appended column-major in file order, one input
 * pass per group of columns, then each column is fitted (src/core/preprocess.ts). Columns are fitted
 * independently: any range of them gives the same parameters as the whole.
 */
import { throwIfAborted } from '../core/errors';
import type { ArrayInfo } from '../core/npy';
import type { PrepareSettings } from '../core/prepare-types';
import { allocFitScratch, columnRanks, fitColumn, rankValues, selectionRanks, type ColumnFit } from '../core/preprocess';
import { SlicedRowStream, type DirectSource } from './prepare-stream';
import type { Kernels } from './wasm';

export interface FitRange {
  /** The input rows of each split in output order (training first): row rowsInOrder[s][i] goes to position (sizes before s) + i. */
  rowsInOrder: Uint32Array[];
  nTr: number;
  /** Columns [c0, c1). */
  c0: number;
  c1: number;
  settings: Pick<PrepareSettings, 'clip' | 'impute' | 'scaler'>;
  /** WASM memory for the column groups and scratch. */
  memoryBytes: number;
  /** Raw input bytes per streamed window. */
  windowBytes?: number;
  /**
   * Called once the first pass is done with a 64-bit hash of every input row's bytes (u64 per row at
   * hashesPtr; raw bytes for float32 C order, else the decoded float64 row) and the output positions
   * (u32 per row at destPtr); the memory is the fit's, so copy what outlives the call. Nothing may be
   * read into memory meanwhile, so it may allocate.
   */
  onFirstPass?: (hashesPtr: number, destPtr: number) => void;
  /** Whether the first pass hashes the rows for onFirstPass (default true; false: hashesPtr is 0). */
  hashRows?: boolean;
  /** After onFirstPass: when the helper may take columns (none: at once). */
  helperReady?: () => Promise<void> | undefined;
  /** A thread that selects order statistics of handed-over columns (float32, no order-dependent sums). */
  helper?: {
    select(values: Float32Array, m: number, ranks: number[]): Promise<{ vals: number[]; positiveZero: boolean; values: ArrayBuffer }>;
    /** Takes buffers to drop with the thread's memory. */
    discard(buffers: ArrayBuffer[]): void;
  };
}

/** Fits columns [c0, c1) of the input; `onProgress(done, total)` counts bytes of the passes. */
export async function fitColumns(kernels: Kernels, src: DirectSource, info: ArrayInfo, r: FitRange, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<ColumnFit[]> {
  const { nTr, c0: from, c1: to, settings, memoryBytes } = r;
  const n = info.rows;
  const d = info.cols;
  kernels.reset();
  const stream = new SlicedRowStream(src, info, kernels, { windowBytes: r.windowBytes, signal });
  // dest: the output position of every input row; training rows come first, so below nTr.
  const dest = kernels.alloc(Math.max(1, n) * 4);
  const rowsPtr = kernels.alloc(Math.max(1, ...r.rowsInOrder.map((rows) => rows.length)) * 4);
  let at = 0;
  for (const rows of r.rowsInOrder) {
    kernels.u32(rowsPtr, rows.length).set(rows);
    kernels.exports.tf_fill_dest(dest, rowsPtr, rows.length, at);
    at += rows.length;
  }
  // Values that are exactly float32 (f4, f2, bool, small ints) are held as f32: half the memory, and the
  // radix selection applies.
  const isF32 = (info.kind === 'f' && info.itemSize <= 4) || info.kind === 'b' || ((info.kind === 'i' || info.kind === 'u') && info.itemSize <= 2);
  const scratch = allocFitScratch(kernels, nTr, isF32);
  const colBytes = Math.max(1, nTr) * (isF32 ? 4 : 8);
  const groupCols = Math.max(1, Math.min(to - from, Math.floor((memoryBytes - 3 * Math.max(1, nTr) * 8) / colBytes)));
  // Training values of the group's columns, column-major, appended in file order.
  const groupPtr = kernels.alloc(groupCols * colBytes);
  const invPtr = kernels.alloc(Math.max(1, nTr) * 4);
  const statePtr = kernels.alloc(4);
  const hashesPtr = r.onFirstPass && r.hashRows !== false ? kernels.alloc(Math.max(1, n) * 8) : 0;
  const rowBytes = d * info.itemSize;
  // Sums (mean imputation, standard scaler) run in training order, read through invPtr; without them
  // each column is gathered without its missing values (counted per column at countsPtr).
  const needsOrder = settings.impute.kind === 'mean' || settings.scaler === 'standard';
  const countsPtr = kernels.alloc(groupCols * 4);
  const fits: ColumnFit[] = [];
  const passes = Math.ceil((to - from) / groupCols);
  // Float32 input: the kernel reads the raw rows (no float64 decode).
  const x = kernels.exports;
  const gather = stream.rawF32 ? x.tf_gather_columns_f32 : x.tf_gather_columns;
  const gatherCompact = stream.rawF32 ? x.tf_gather_columns_compact_f32 : x.tf_gather_columns_compact;
  for (let c0 = from; c0 < to; c0 += groupCols) {
    const c1 = Math.min(to, c0 + groupCols);
    const pass = (c0 - from) / groupCols;
    kernels.u32(statePtr, 1)[0] = 0;
    kernels.u32(countsPtr, groupCols).fill(0);
    const first = c0 === from;
    await stream.pass(
      (rowStart, nRows, rowsPtr) => {
        if (needsOrder) gather(rowsPtr, nRows, d, c0, c1, rowStart, dest, 0, nTr, groupPtr, colBytes, isF32 ? 1 : 0, invPtr, statePtr);
        else gatherCompact(rowsPtr, nRows, d, c0, c1, rowStart, dest, 0, nTr, groupPtr, colBytes, isF32 ? 1 : 0, countsPtr);
        // Row hashes while the rows are in cache: raw bytes, or the decoded float64 rows.
        if (first && hashesPtr) {
          if (stream.rawF32) x.tf_row_hashes_raw(rowsPtr, nRows, rowBytes, rowStart, hashesPtr);
          else x.tf_row_hashes(rowsPtr, nRows, d, rowStart, hashesPtr);
        }
      },
      (p) => onProgress?.(pass * p.total + p.done, passes * p.total),
      'fitting',
      { raw: stream.rawF32 },
    );
    const counts = kernels.u32(countsPtr, groupCols).slice();
    const colPtr = (c: number) => groupPtr + (c - c0) * colBytes;
    const fitHere = (c: number, selected?: Map<number, number>) =>
      fitColumn(kernels, colPtr(c), nTr, needsOrder ? invPtr : 0, settings, scratch, d === 1, needsOrder ? undefined : counts[c - c0]!, selected);
    // With a helper thread, columns are taken from both ends: this thread fits from the front while the
    // helper selects copies of the last ones (HELPER_IN_FLIGHT at a time), until they meet. The
    // selections are the same kernel on the same values, so the fits are the same bits.
    const group: ColumnFit[] = [];
    let front = c0;
    let back = c1;
    const handedOver: Promise<void>[] = [];
    let inFlight = 0;
    // Buffers the helper handed back (one column each): reused, so that no column's copy is fresh memory.
    const spare: ArrayBuffer[] = [];
    const handOver = () => {
      while (r.helper && !needsOrder && isF32 && inFlight < HELPER_IN_FLIGHT && back - 1 > front) {
        const c = --back;
        const m = counts[c - c0]!;
        const ranks = selectionRanks(columnRanks(nTr, m, settings), m);
        inFlight++;
        const buffer = spare.pop() ?? new ArrayBuffer(colBytes);
        const copy = new Float32Array(buffer, 0, m);
        copy.set(kernels.f32(colPtr(c), m));
        const done = r.helper.select(copy, m, ranks).then(
          (sel) => {
            spare.push(sel.values);
            return rankValues(ranks, sel.vals, sel.positiveZero);
          },
          () => undefined, // the thread failed: selected here instead
        );
        handedOver.push(
          done.then((selected) => {
            inFlight--;
            group[c - c0] = fitHere(c, selected);
            handOver();
          }),
        );
      }
    };
    // The leakage count first: its thread's memory is then gone before the apply allocates (the thread
    // answers in order, and takes columns over once it has counted).
    if (first && r.onFirstPass) r.onFirstPass(hashesPtr, dest);
    const ready = r.helperReady?.();
    if (ready) handedOver.push(ready.then(handOver));
    else handOver();
    while (front < back) {
      throwIfAborted(signal);
      const c = front++;
      group[c - c0] = fitHere(c);
      // Let the helper's answers in (and hand it the next columns).
      if (r.helper && !needsOrder) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    while (handedOver.length > 0) await Promise.all(handedOver.splice(0));
    // The column buffers go to the helper to be dropped when it ends (before the apply allocates).
    r.helper?.discard(spare.splice(0));
    fits.push(...group);
  }
  return fits;
}

/** Columns whose selection is on the helper thread at a time (each a copy of the column's values). */
const HELPER_IN_FLIGHT = 2;
