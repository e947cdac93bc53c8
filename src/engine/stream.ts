/**
 * Streaming row reader: hands a .npy array to a callback as row-major float64 blocks that live in
 * WASM memory, one window at a time, so files larger than memory (or WASM's 4 GiB) can be read in
 * any number of passes. Each window is read into an arena buffer (straight from the file where the
 * source has `readInto`, else copied in once read) and decoded there by `decode_to_f64`; the next
 * window is then read into the same buffer while the block is processed. Memory stays at one raw
 * window + one f64 block per stream, and a pass allocates nothing on the JS heap for file sources.
 *
 * C order: a window is a run of whole rows. Fortran order: a window of rows is `cols` separate
 * column runs, each decoded with a destination stride so the block is still row-major.
 */
import type { ArrayInfo } from '../core/npy';
import { WorkbenchError, throwIfAborted } from '../core/errors';
import type { ProgressFn } from '../core/progress';
import { CHUNK_BYTES, type ByteSource } from '../core/source';
import type { Kernels } from './wasm';

/** Dtype kind codes of assembly/decode.ts (DECODE_BOOL, DECODE_INT, DECODE_UINT, DECODE_FLOAT). */
export const DTYPE_KIND_CODE = { b: 0, i: 1, u: 2, f: 3 } as const;

/** Blocks hold a multiple of this many rows (except the last, or when one window fits fewer). */
export const BLOCK_ROW_MULTIPLE = 4;

/** Receives one decoded block: rows [rowStart, rowStart + nRows) as row-major f64 at `f64Ptr`. */
export type RowsCallback = (rowStart: number, nRows: number, f64Ptr: number) => void | Promise<void>;

export interface RowStreamOptions {
  /** Raw bytes per window (default CHUNK_BYTES), rounded down to whole rows, at least one row. */
  windowBytes?: number;
  signal?: AbortSignal;
}

/** A re-readable stream of row blocks over one array; `pass` may be called any number of times. */
export class RowStream {
  readonly rows: number;
  readonly cols: number;
  /** Rows per block (the last block may be shorter). */
  readonly rowsPerBlock: number;
  /** The f64 block buffer every callback receives (rowsPerBlock x cols). */
  readonly blockPtr: number;
  private readonly rawPtr: number;
  private readonly signal?: AbortSignal;

  constructor(
    readonly src: ByteSource,
    readonly info: ArrayInfo,
    readonly kernels: Kernels,
    opts: RowStreamOptions = {},
  ) {
    this.rows = info.rows;
    this.cols = info.shape.length === 2 ? info.shape[1]! : 1;
    const rowBytes = Math.max(1, this.cols * info.itemSize);
    const fit = Math.max(1, Math.floor((opts.windowBytes ?? CHUNK_BYTES) / rowBytes));
    // A multiple of BLOCK_ROW_MULTIPLE rows: kernels that group rows (stats_gram) then sum in the same
    // order whatever the window size, so a small window gives the same report bit for bit.
    const aligned = fit >= BLOCK_ROW_MULTIPLE ? fit - (fit % BLOCK_ROW_MULTIPLE) : fit;
    this.rowsPerBlock = Math.max(1, Math.min(this.rows, aligned));
    this.rawPtr = kernels.alloc(this.rowsPerBlock * rowBytes);
    this.blockPtr = kernels.alloc(this.rowsPerBlock * this.cols * 8);
    this.signal = opts.signal;
  }

  /** Raw bytes of the data region (what one pass reads). */
  get dataBytes(): number {
    return this.info.dataBytes;
  }

  /**
   * Reads the whole array once, calling `onRows` per block in row order. Progress counts data bytes
   * read in this pass; an aborted signal stops it between windows with an AbortError.
   */
  async pass(onRows: RowsCallback, onProgress?: ProgressFn, phase = 'reading'): Promise<void> {
    const { rows, cols, rowsPerBlock } = this;
    if (rows === 0 || cols === 0) {
      onProgress?.({ phase, done: this.dataBytes, total: this.dataBytes });
      return;
    }
    const itemSize = this.info.itemSize;
    let next = this.readWindow(0);
    for (let r0 = 0; r0 < rows; r0 += rowsPerBlock) {
      throwIfAborted(this.signal, `Reading ${this.src.name}`);
      const nRows = Math.min(rowsPerBlock, rows - r0);
      await next;
      throwIfAborted(this.signal, `Reading ${this.src.name}`);
      this.decode(nRows);
      // Read ahead into the raw window, free again once decoded: the next window's I/O overlaps this
      // block's kernels.
      if (r0 + nRows < rows) {
        next = this.readWindow(r0 + nRows);
        next.catch(() => {}); // awaited next iteration; a failure must not be unhandled if onRows throws
      }
      await onRows(r0, nRows, this.blockPtr);
      onProgress?.({ phase, done: Math.min(this.dataBytes, (r0 + nRows) * cols * itemSize), total: this.dataBytes });
    }
  }

  /**
   * Reads window `r0` into the raw buffer (C order: one run; Fortran order: one run per column, end to
   * end). A source with `readInto` (a file in Node) reads straight into WASM memory; otherwise each
   * run is copied in once read.
   */
  private async readWindow(r0: number): Promise<void> {
    const { info, src, cols, rows, kernels } = this;
    const nRows = Math.min(this.rowsPerBlock, rows - r0);
    const size = info.itemSize;
    const ranges: Array<[number, number]> =
      info.fortranOrder && cols > 1
        ? Array.from({ length: cols }, (_, j) => [info.headerBytes + (j * rows + r0) * size, nRows * size] as [number, number])
        : [[info.headerBytes + r0 * cols * size, nRows * cols * size]];
    await Promise.all(ranges.map(([offset, length], j) => readIntoMemory(src, kernels, this.rawPtr + j * length, offset, length)));
  }

  private decode(nRows: number): void {
    const { info, kernels, cols } = this;
    const ex = kernels.exports;
    const kind = DTYPE_KIND_CODE[info.kind];
    const le = info.littleEndian ? 1 : 0;
    if (!(info.fortranOrder && cols > 1)) {
      ex.decode_to_f64(this.rawPtr, nRows * cols, kind, info.itemSize, le, this.blockPtr, 1);
      return;
    }
    const run = nRows * info.itemSize;
    for (let j = 0; j < cols; j++) ex.decode_to_f64(this.rawPtr + j * run, nRows, kind, info.itemSize, le, this.blockPtr + j * 8, cols);
  }
}

/** One streaming pass over `src` (see RowStream): convenience for single-pass readers. */
export async function streamRows(
  src: ByteSource,
  info: ArrayInfo,
  kernels: Kernels,
  opts: RowStreamOptions & { onRows: RowsCallback; onProgress?: ProgressFn; phase?: string },
): Promise<void> {
  await new RowStream(src, info, kernels, opts).pass(opts.onRows, opts.onProgress, opts.phase);
}

/**
 * Reads `length` bytes at `offset` of `src` into WASM memory at `ptr` — straight in where the source can
 * (a file in Node), else copied from the bytes read; an early end is an error naming the file.
 */
export async function readIntoMemory(src: ByteSource, kernels: Kernels, ptr: number, offset: number, length: number): Promise<void> {
  let got: number;
  if (src.readInto) {
    got = await src.readInto(offset, kernels.u8(ptr, length));
  } else {
    const bytes = await src.read(offset, length);
    got = bytes.length;
    // The view is made after the read: a view made before an await could be detached by then.
    if (got === length) kernels.u8(ptr, length).set(bytes);
  }
  if (got < length) {
    throw new WorkbenchError('NPY_TRUNCATED', `${src.name}: the data ends early (expected ${length} bytes at offset ${offset}).`, src.name);
  }
}

/** Reads a whole (small) array as float64 in row-major order, e.g. labels; copied out of WASM memory. */
export async function readAllF64(src: ByteSource, info: ArrayInfo, kernels: Kernels, opts: RowStreamOptions = {}): Promise<Float64Array> {
  const stream = new RowStream(src, info, kernels, opts);
  const out = new Float64Array(stream.rows * stream.cols);
  await stream.pass((rowStart, nRows, ptr) => {
    out.set(kernels.f64(ptr, nRows * stream.cols), rowStart * stream.cols);
  });
  return out;
}
