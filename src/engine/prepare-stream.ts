/**
 * The prepare job's input passes over a C-order feature array: each window of raw bytes is read into
 * WASM memory (straight from the file in Node, no intermediate buffer; the next window is read while
 * this one is processed), then decoded to float64 a cache-sized slice of rows at a time, and every
 * kernel of the pass runs on the slice while it is hot. A whole-window float64 block (32 MB for a
 * 16 MB window) would go out to DRAM between the decode and each kernel; a slice stays in L2.
 * Fortran-order arrays go through RowStream (src/engine/stream.ts), whose windows are column runs.
 */
import { throwIfAborted } from '../core/errors';
import type { ArrayInfo } from '../core/npy';
import type { ProgressFn } from '../core/progress';
import { CHUNK_BYTES, type ByteSource } from '../core/source';
import { DTYPE_KIND_CODE, readIntoMemory, RowStream, type RowsCallback } from './stream';
import type { Kernels } from './wasm';

/** Bytes of decoded float64 rows per slice: well inside L2 together with the kernels' other data. */
const SLICE_BYTES = 256 * 1024;

/** Little-endian float32 in C order: rows can be used raw by the `_f32` kernels (and hashed raw). */
export function isRawF32(info: ArrayInfo): boolean {
  const cols = info.shape.length === 2 ? info.shape[1]! : 1;
  return !(info.fortranOrder && cols > 1) && info.kind === 'f' && info.itemSize === 4 && info.littleEndian;
}

/** A source that can also read straight into a given buffer (e.g. a view of WASM memory). */
export type DirectSource = ByteSource & {
  /** Fills `target` with the bytes at `offset`; returns how many were read (fewer at the end of the file). */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
};

/** Re-readable passes over one array: `pass` may be called any number of times; allocates once. */
export class SlicedRowStream {
  private readonly rawPtrs: [number, number] = [0, 0];
  private readonly slicePtr: number = 0;
  private readonly windowRows: number;
  private readonly sliceRows: number;
  private readonly fallback: RowStream | null = null;
  /**
   * Rows are little-endian float32 in C order: `pass(…, { raw: true })` hands out the raw rows
   * themselves (for the `_f32` kernels, which promote each value to float64 exactly as the decode would).
   */
  readonly rawF32: boolean;

  constructor(
    private readonly src: DirectSource,
    private readonly info: ArrayInfo,
    private readonly kernels: Kernels,
    opts: { windowBytes?: number; signal?: AbortSignal } = {},
    private readonly signal = opts.signal,
  ) {
    const cols = info.shape.length === 2 ? info.shape[1]! : 1;
    const rowBytes = Math.max(1, cols * info.itemSize);
    this.windowRows = Math.max(1, Math.min(info.rows, Math.floor((opts.windowBytes ?? CHUNK_BYTES) / rowBytes)));
    this.sliceRows = Math.max(1, Math.min(this.windowRows, Math.floor(SLICE_BYTES / (Math.max(1, cols) * 8))));
    this.rawF32 = isRawF32(info);
    if (info.fortranOrder && cols > 1) {
      this.fallback = new RowStream(src, info, kernels, opts);
      return;
    }
    // Two raw windows: one being processed, one being read.
    this.rawPtrs = [kernels.alloc(this.windowRows * rowBytes), info.rows > this.windowRows ? kernels.alloc(this.windowRows * rowBytes) : 0];
    this.slicePtr = kernels.alloc(this.sliceRows * cols * 8);
  }

  /**
   * Reads the whole array once, calling `onRows` with float64 rows (or the raw rows with `raw`) (synchronously: nothing may allocate in the instance
   * during a pass, as a read may be filling WASM memory) per slice in row order. Progress counts data
   * bytes read; an aborted signal stops it between windows with an AbortError.
   */
  async pass(onRows: (rowStart: number, nRows: number, rowsPtr: number) => void, onProgress?: ProgressFn, phase = 'reading', how: { raw?: boolean } = {}): Promise<void> {
    if (this.fallback) return this.fallback.pass(onRows as RowsCallback, onProgress, phase);
    const raw = !!how.raw;
    if (raw && !this.rawF32) throw new Error('SlicedRowStream: raw rows are only handed out for little-endian float32 C-order arrays.');
    const { info, kernels, windowRows, sliceRows } = this;
    const rows = info.rows;
    const cols = info.shape.length === 2 ? info.shape[1]! : 1;
    const rowBytes = cols * info.itemSize;
    if (rows === 0 || cols === 0) {
      onProgress?.({ phase, done: info.dataBytes, total: info.dataBytes });
      return;
    }
    const kind = DTYPE_KIND_CODE[info.kind];
    const le = info.littleEndian ? 1 : 0;
    let which = 0;
    let next = this.readWindow(0, this.rawPtrs[0]);
    next.catch(() => {}); // awaited below; an abort or a kernel error meanwhile must not leave it unhandled
    for (let r0 = 0; r0 < rows; r0 += windowRows) {
      throwIfAborted(this.signal, `Reading ${this.src.name}`);
      const nRows = Math.min(windowRows, rows - r0);
      await next;
      throwIfAborted(this.signal, `Reading ${this.src.name}`);
      const window = this.rawPtrs[which]!;
      which ^= 1;
      if (r0 + nRows < rows) {
        next = this.readWindow(r0 + nRows, this.rawPtrs[which]!);
        next.catch(() => {});
      }
      for (let s0 = 0; s0 < nRows; s0 += sliceRows) {
        const n = Math.min(sliceRows, nRows - s0);
        if (raw) {
          onRows(r0 + s0, n, window + s0 * rowBytes);
        } else {
          kernels.exports.decode_to_f64(window + s0 * rowBytes, n * cols, kind, info.itemSize, le, this.slicePtr, 1);
          onRows(r0 + s0, n, this.slicePtr);
        }
      }
      onProgress?.({ phase, done: Math.min(info.dataBytes, (r0 + nRows) * rowBytes), total: info.dataBytes });
    }
  }

  private async readWindow(r0: number, ptr: number): Promise<void> {
    const { info, src, kernels } = this;
    const cols = info.shape.length === 2 ? info.shape[1]! : 1;
    const length = Math.min(this.windowRows, info.rows - r0) * cols * info.itemSize;
    await readIntoMemory(src, kernels, ptr, info.headerBytes + r0 * cols * info.itemSize, length);
  }
}
