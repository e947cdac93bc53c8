/**
 * The .npy reader: header facts (`readArrayInfo`) and the data region as a stream of windows aligned to
 * whole elements / whole rows (`npyDataWindows`). Only the header is read eagerly; data is read window
 * by window, so files larger than memory (or than WASM's 4 GiB) work.
 */
import { WorkbenchError, throwIfAborted } from './errors';
import type { DtypeKind } from './dtype';
import { printable } from './dtype';
import { CHUNK_BYTES, type ByteSource } from './source';
import {
  decodeHeaderText,
  parseNpyHeader,
  parseNpyPreamble,
  shapeText,
  type NpyVersion,
} from './npy-header';

export type { DtypeKind } from './dtype';

/** Header facts of one array (a .npy file or one entry of a .npz). */
export interface ArrayInfo {
  /** src.name (for a .npz entry: the entry name, see src/core/npz.ts). */
  name: string;
  version: NpyVersion;
  /** The header's descr exactly as written, e.g. '<f4', '|b1', '>i8'. */
  dtype: string;
  kind: DtypeKind;
  itemSize: number;
  /** '<', '|' and '=' are little endian (see parseDescr in src/core/dtype.ts for why), '>' big. */
  littleEndian: boolean;
  /** 1-D or 2-D only. */
  shape: number[];
  fortranOrder: boolean;
  /** Offset of the first data byte. */
  headerBytes: number;
  /** product(shape) * itemSize. */
  dataBytes: number;
  /** shape[0]. */
  rows: number;
  /** shape[1] for 2-D; 1 for (n,). */
  cols: number;
  /** Problems that do not stop reading, e.g. trailing bytes after the data. */
  warnings: string[];
}

/** Bytes read up front: enough for any header numpy writes for a plain array, in one read. */
const FIRST_READ_BYTES = 4096;

/** Reads and checks the header of a .npy source; refuses anything but a plain 1-D/2-D numeric array. */
export async function readArrayInfo(src: ByteSource): Promise<ArrayInfo> {
  const file = src.name;
  let head = await src.read(0, Math.min(src.size, FIRST_READ_BYTES));
  const preamble = parseNpyPreamble(head, src.size, file);
  if (head.length < preamble.headerBytes) {
    const rest = await src.read(head.length, preamble.headerBytes - head.length);
    const all = new Uint8Array(head.length + rest.length);
    all.set(head);
    all.set(rest, head.length);
    head = all;
    if (head.length < preamble.headerBytes) {
      throw new WorkbenchError('NPY_BAD_HEADER', `${printable(file, 200)}: the file ends inside the header.`, file);
    }
  }
  const headerStart = preamble.headerBytes - preamble.headerLength;
  const text = decodeHeaderText(head.subarray(headerStart, preamble.headerBytes), preamble.version, file);
  const header = parseNpyHeader(text, file);

  const { itemSize } = header.dtype;
  const elements = header.shape.reduce((a, b) => a * b, 1n);
  const dataBytesBig = elements * BigInt(itemSize);
  if (dataBytesBig > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new WorkbenchError(
      'NPY_BAD_SHAPE',
      `${printable(file, 200)}: the shape ${shapeText(header.shape)} overflows (${dataBytesBig} bytes is beyond 2^53).`,
      file,
    );
  }
  const dataBytes = Number(dataBytesBig);
  const available = src.size - preamble.headerBytes;
  if (dataBytes > available) {
    throw new WorkbenchError(
      'NPY_TRUNCATED',
      `${printable(file, 200)}: the data is truncated: shape ${shapeText(header.shape)} of '${printable(header.descr)}' needs ${dataBytes} bytes but only ${available} follow the header.`,
      file,
    );
  }
  const warnings: string[] = [];
  if (dataBytes < available) {
    warnings.push(`${printable(file, 200)}: ${available - dataBytes} trailing bytes after the data are ignored.`);
  }
  const shape = header.shape.map(Number);
  return {
    name: file,
    version: preamble.version,
    dtype: header.descr,
    kind: header.dtype.kind,
    itemSize,
    littleEndian: header.dtype.littleEndian,
    shape,
    fortranOrder: header.fortranOrder,
    headerBytes: preamble.headerBytes,
    dataBytes,
    rows: shape[0]!,
    cols: shape.length === 2 ? shape[1]! : 1,
    warnings,
  };
}

/** Options of `npyDataWindows`. */
export interface DataWindowOptions {
  /** Target window size in bytes (default CHUNK_BYTES); rounded down to whole rows/elements, at least one. */
  windowBytes?: number;
  signal?: AbortSignal;
}

/** One window of the data region. */
export interface DataWindow {
  /** Index (in storage order) of the first element in `bytes`. */
  elementOffset: number;
  bytes: Uint8Array;
}

/**
 * Bytes per alignment unit: a whole row for C-order 2-D (so a window never splits a sample), one
 * element otherwise (1-D, or Fortran order where storage runs down columns).
 */
export function windowUnitBytes(info: ArrayInfo): number {
  if (!info.fortranOrder && info.shape.length === 2 && info.cols > 0) return info.cols * info.itemSize;
  return info.itemSize;
}

/**
 * Streams the data region as consecutive windows aligned to whole elements (and to whole rows for
 * C-order 2-D). A single row larger than `windowBytes` is still yielded whole. Throws NPY_TRUNCATED if
 * the source ends early and an AbortError when `signal` aborts.
 */
export async function* npyDataWindows(
  src: ByteSource,
  info: ArrayInfo,
  opts: DataWindowOptions = {},
): AsyncGenerator<DataWindow> {
  const unit = windowUnitBytes(info);
  const target = opts.windowBytes ?? CHUNK_BYTES;
  const step = Math.max(1, Math.floor(target / unit)) * unit;
  let done = 0;
  while (done < info.dataBytes) {
    throwIfAborted(opts.signal, `Reading ${src.name}`);
    const want = Math.min(step, info.dataBytes - done);
    const bytes = await src.read(info.headerBytes + done, want);
    throwIfAborted(opts.signal, `Reading ${src.name}`);
    if (bytes.length < want) {
      throw new WorkbenchError(
        'NPY_TRUNCATED',
        `${printable(src.name, 200)}: the data is truncated: the file ended ${info.dataBytes - done - bytes.length} bytes before the end of the array.`,
        src.name,
      );
    }
    yield { elementOffset: done / info.itemSize, bytes };
    done += want;
  }
}
