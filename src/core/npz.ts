/**
 * `.npz` archives (zip files of .npy entries, as `np.savez` / `np.savez_compressed` write them).
 *
 * The zip central directory is parsed here (end-of-central-directory record, zip64 locator/record and
 * zip64 extra fields for archives over 4 GiB), reading only the directory and the local headers through
 * `src.read` — never the whole archive. Stored entries become a zero-copy window of the container;
 * deflated entries are inflated on demand with fflate's streaming `Inflate`, keeping the inflate state
 * and position so that forward reads in windows cost O(entry size) in total, with checkpoints so that
 * reads behind the current position do not start over from the beginning.
 *
 * Naming: `ArrayInfo.name` from `listNpz` is the entry name exactly as stored, `.npy` included
 * ('features.npy') — the string to pass back as `entry` (npzEntrySource, InputRef.entry). The entry
 * source itself is named 'archive.npz:features.npy' so that messages name both.
 */
import { Inflate } from 'fflate';
import { WorkbenchError } from './errors';
import { printable } from './dtype';
import { readArrayInfo, type ArrayInfo } from './npy';
import type { ByteSource } from './source';

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const EOCD_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;
const ZIP64_EOCD_BYTES = 56;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
const MAX_COMMENT_BYTES = 0xffff;
const ZIP64_EXTRA_ID = 0x0001;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
/** A central directory larger than this is not an .npz of arrays; refuse rather than allocate it. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;
/** Compressed bytes read from the container at a time for a deflated entry (at most / at least). */
const COMPRESSED_READ_BYTES = 1024 * 1024;
const MIN_COMPRESSED_READ_BYTES = 4 * 1024;
/**
 * Compressed bytes pushed into the inflater at a time: deflate expands at most ~1032:1, so one push
 * yields at most ~66 MiB even for a hostile stream, keeping memory bounded.
 */
const INFLATE_PUSH_BYTES = 64 * 1024;

/** One file in the archive, from its central directory record. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** CRC-32 of the uncompressed data, checked when a deflated entry has been inflated to its end. */
  crc32: number;
}

function bad(container: ByteSource, reason: string): WorkbenchError {
  return new WorkbenchError('NPZ_BAD_ARCHIVE', `${printable(container.name, 200)}: ${reason}.`, container.name);
}

/** Little-endian u64 as a number; offsets and sizes beyond 2^53 cannot be addressed and are refused. */
function u64(view: DataView, at: number, container: ByteSource): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw bad(container, 'a zip64 size or offset is beyond 2^53 bytes');
  return Number(value);
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Reads exactly `length` bytes at `offset` or fails as a truncated archive. */
async function readExactly(container: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = offset + length <= container.size ? await container.read(offset, length) : new Uint8Array(0);
  if (bytes.length !== length) throw bad(container, `the archive is truncated (${what} lies past the end of the file)`);
  return bytes;
}

/** IBM code page 437, bytes 0x80-0xFF: the zip default for names without the UTF-8 flag. */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder('utf-8').decode(bytes);
  let out = '';
  for (const b of bytes) out += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  return out;
}

/** Finds the end-of-central-directory record and returns where the central directory is. */
async function locateDirectory(container: ByteSource): Promise<{ offset: number; size: number; entries: number }> {
  const notZip = () => bad(container, 'not a zip archive (.npz): no end-of-central-directory record');
  if (container.size < EOCD_BYTES) throw notZip();
  const tailLength = Math.min(container.size, EOCD_BYTES + MAX_COMMENT_BYTES + ZIP64_LOCATOR_BYTES);
  const tailStart = container.size - tailLength;
  const tail = await readExactly(container, tailStart, tailLength, 'the end record');
  const view = viewOf(tail);
  // Scan backwards; the comment length must reach exactly to the end, so a signature inside a
  // comment is not mistaken for the record.
  let eocd = -1;
  for (let at = tail.length - EOCD_BYTES; at >= 0; at--) {
    if (view.getUint32(at, true) === SIG_EOCD && at + EOCD_BYTES + view.getUint16(at + 20, true) === tail.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const diskNumber = view.getUint16(eocd + 4, true);
  const directoryDisk = view.getUint16(eocd + 6, true);
  let entries = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);

  const locatorAt = eocd - ZIP64_LOCATOR_BYTES;
  if (locatorAt >= 0 && view.getUint32(locatorAt, true) === SIG_ZIP64_LOCATOR) {
    const recordOffset = u64(view, locatorAt + 8, container);
    if (view.getUint32(locatorAt + 16, true) > 1) throw bad(container, 'multi-volume (split) zip archives are not supported');
    const record = viewOf(await readExactly(container, recordOffset, ZIP64_EOCD_BYTES, 'the zip64 end record'));
    if (record.getUint32(0, true) !== SIG_ZIP64_EOCD) throw bad(container, 'the zip64 end-of-central-directory record is missing');
    if (record.getUint32(16, true) !== 0 || record.getUint32(20, true) !== 0) {
      throw bad(container, 'multi-volume (split) zip archives are not supported');
    }
    entries = u64(record, 32, container);
    size = u64(record, 40, container);
    offset = u64(record, 48, container);
  } else if (diskNumber !== 0 || directoryDisk !== 0) {
    throw bad(container, 'multi-volume (split) zip archives are not supported');
  }
  if (offset + size > container.size) throw bad(container, 'the archive is truncated (the central directory lies past the end of the file)');
  if (size > MAX_DIRECTORY_BYTES) throw bad(container, `the central directory is ${size} bytes, too large for an .npz of arrays`);
  return { offset, size, entries };
}

/** Lists every file in the zip's central directory. */
export async function readZipDirectory(container: ByteSource): Promise<ZipEntry[]> {
  const dir = await locateDirectory(container);
  const bytes = await readExactly(container, dir.offset, dir.size, 'the central directory');
  const view = viewOf(bytes);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < dir.entries; n++) {
    if (at + CENTRAL_BYTES > bytes.length || view.getUint32(at, true) !== SIG_CENTRAL) {
      throw bad(container, `the central directory is corrupt (record ${n + 1} of ${dir.entries} is missing)`);
    }
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc32 = view.getUint32(at + 16, true);
    let compressedSize = view.getUint32(at + 20, true);
    let uncompressedSize = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const nameStart = at + CENTRAL_BYTES;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > bytes.length) throw bad(container, `the central directory is corrupt (record ${n + 1} overruns it)`);
    const name = decodeName(bytes.subarray(nameStart, extraStart), (flags & FLAG_UTF8) !== 0);

    // zip64: a 32-bit field of all ones means "see the zip64 extra field", which holds, in this
    // order, only the fields that overflowed.
    const needUncompressed = uncompressedSize === 0xffffffff;
    const needCompressed = compressedSize === 0xffffffff;
    const needOffset = localHeaderOffset === 0xffffffff;
    if (needUncompressed || needCompressed || needOffset) {
      let found = false;
      for (let e = extraStart; e + 4 <= extraStart + extraLength; ) {
        const id = view.getUint16(e, true);
        const length = view.getUint16(e + 2, true);
        if (e + 4 + length > extraStart + extraLength) break;
        if (id === ZIP64_EXTRA_ID) {
          let p = e + 4;
          const field = (): number => {
            if (p + 8 > e + 4 + length) throw bad(container, `the zip64 extra field of '${printable(name)}' is too short`);
            const v = u64(view, p, container);
            p += 8;
            return v;
          };
          if (needUncompressed) uncompressedSize = field();
          if (needCompressed) compressedSize = field();
          if (needOffset) localHeaderOffset = field();
          found = true;
          break;
        }
        e += 4 + length;
      }
      if (!found) throw bad(container, `the entry '${printable(name)}' lacks its zip64 extra field`);
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset, crc32 });
    at = next;
  }
  return entries;
}

/** Finds `entry` by its exact name, or by the name without '.npy' (np.load's key, e.g. 'features'). */
function findEntry(entries: ZipEntry[], entry: string): ZipEntry | undefined {
  // Python's zipfile lets a later duplicate win; so does this.
  const exact = entries.filter((e) => e.name === entry).pop();
  return exact ?? entries.filter((e) => e.name === `${entry}.npy`).pop();
}

/**
 * Header facts of every `*.npy` entry, in archive order (other files are ignored). An entry that
 * cannot be read — a pickled object array saved next to the features, say — is skipped with a
 * warning on the first listed array, so the usable arrays of the archive stay usable; if no entry is
 * usable, the first entry's error is thrown.
 */
export async function listNpz(src: ByteSource): Promise<ArrayInfo[]> {
  const entries = await readZipDirectory(src);
  const infos: ArrayInfo[] = [];
  const skipped: WorkbenchError[] = [];
  for (const entry of entries) {
    if (!entry.name.toLowerCase().endsWith('.npy')) continue;
    try {
      const info = await readArrayInfo(await openEntry(src, entry));
      infos.push({ ...info, name: entry.name });
    } catch (e) {
      if (!(e instanceof WorkbenchError)) throw e;
      skipped.push(e);
    }
  }
  if (infos.length === 0 && skipped.length > 0) throw skipped[0]!;
  if (skipped.length > 0) {
    infos[0] = { ...infos[0]!, warnings: [...infos[0]!.warnings, ...skipped.map((e) => `skipped ${e.message}`)] };
  }
  return infos;
}

/** A source over one entry of the archive: a window for stored entries, streaming inflate for deflated. */
export async function npzEntrySource(container: ByteSource, entry: string, opts: NpzEntryOptions = {}): Promise<ByteSource> {
  const entries = await readZipDirectory(container);
  const found = findEntry(entries, entry);
  if (!found) {
    const names = entries.filter((e) => e.name.toLowerCase().endsWith('.npy')).map((e) => printable(e.name, 40));
    throw bad(container, `the archive has no entry '${printable(entry)}' (its arrays: ${names.join(', ') || 'none'})`);
  }
  return openEntry(container, found, opts);
}

async function openEntry(container: ByteSource, entry: ZipEntry, opts: NpzEntryOptions = {}): Promise<ByteSource> {
  const name = `${container.name}:${entry.name}`;
  if (entry.flags & FLAG_ENCRYPTED) throw bad(container, `the entry '${printable(entry.name)}' is encrypted, which is not supported`);
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) {
    throw bad(container, `the entry '${printable(entry.name)}' uses compression method ${entry.method}; only stored (0) and deflated (8) are supported`);
  }
  // The local header's name and extra lengths may differ from the central directory's, so read it.
  const local = viewOf(await readExactly(container, entry.localHeaderOffset, LOCAL_BYTES, `the local header of '${printable(entry.name)}'`));
  if (local.getUint32(0, true) !== SIG_LOCAL) throw bad(container, `the local header of '${printable(entry.name)}' is missing`);
  const dataStart = entry.localHeaderOffset + LOCAL_BYTES + local.getUint16(26, true) + local.getUint16(28, true);
  if (dataStart + entry.compressedSize > container.size) {
    throw bad(container, `the archive is truncated (the data of '${printable(entry.name)}' lies past the end of the file)`);
  }
  if (entry.method === METHOD_STORED) {
    if (entry.compressedSize !== entry.uncompressedSize) {
      throw bad(container, `the stored entry '${printable(entry.name)}' has different compressed and uncompressed sizes`);
    }
    return windowSource(container, name, dataStart, entry.uncompressedSize);
  }
  return new InflatingSource(container, name, entry, dataStart, opts);
}

/** The CRC-32 (zip/PNG polynomial) table, built on first use. */
let crcTable: Uint32Array | undefined;

/** Continues a CRC-32 over `bytes` (start with 0). */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  const table = crcTable;
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** A zero-copy window [start, start + size) of another source. */
function windowSource(container: ByteSource, name: string, start: number, size: number): ByteSource {
  return {
    name,
    size,
    read(offset, length) {
      const from = Math.max(0, Math.min(offset, size));
      return container.read(start + from, Math.max(0, Math.min(length, size - from)));
    },
  };
}

/**
 * fflate's Inflate keeps its whole resumable state in three fields (`s` the bit-level state, `o` the
 * last 32 KiB of output, `p` unconsumed input). Copying them gives a checkpoint to resume from, the
 * way zlib's zran example does. These are private fields: `snapshotInflater` checks their shape and
 * returns undefined if a future fflate changes them, and the source then falls back to restarting.
 */
interface InflaterState {
  s: Record<string, unknown>;
  o: Uint8Array;
  p: Uint8Array;
}

function snapshotInflater(inflater: Inflate): InflaterState | undefined {
  const raw = inflater as unknown as Partial<InflaterState> & { d?: boolean };
  if (typeof raw.s !== 'object' || raw.s === null || !(raw.o instanceof Uint8Array) || !(raw.p instanceof Uint8Array) || raw.d) {
    return undefined;
  }
  return { s: { ...raw.s }, o: raw.o.slice(), p: raw.p.slice() };
}

function restoreInflater(inflater: Inflate, state: InflaterState): void {
  const raw = inflater as unknown as InflaterState;
  raw.s = { ...state.s };
  raw.o = state.o.slice();
  raw.p = state.p.slice();
}

/**
 * A point a deflated entry can be resumed from: the inflater state after `inflated + tail.length`
 * output bytes, plus `tail`, the output bytes [inflated, inflated + tail.length) already produced.
 */
interface Checkpoint {
  inflated: number;
  tail: Uint8Array;
  /** Compressed bytes handed to the inflater so far. */
  compressedFed: number;
  /** CRC-32 of the output up to inflated + tail.length. */
  crc: number;
  state: InflaterState;
  /**
   * 'spacing': taken every `checkpointSpacing` inflated bytes, kept for the life of the source.
   * 'cursor': taken where a read ended, so the next read that continues from there (the next window
   * of the same Fortran column) resumes exactly there; dropped once used, and the oldest are dropped
   * beyond MAX_CURSOR_CHECKPOINTS.
   */
  kind: 'spacing' | 'cursor';
  serial: number;
}

/** Spacing checkpoints are at least this far apart in inflated bytes... */
const MIN_CHECKPOINT_SPACING = 1024 * 1024;
/** ...and at most this many per entry (each ~36 KiB: the 32 KiB window), so spacing grows with size. */
const MAX_SPACING_CHECKPOINTS = 512;
/** Cursor checkpoints kept at most (one per column being read is what Fortran order needs). */
const MAX_CURSOR_CHECKPOINTS = 512;
/** A cursor checkpoint is skipped when the output produced past the read's end is longer than this. */
const MAX_CURSOR_TAIL_BYTES = 1024 * 1024;
/** Close to the end of a read, compressed input is pushed in small pieces so little output overshoots. */
const FINE_PUSH_BYTES = 4 * 1024;
const FINE_PUSH_WITHIN = 256 * 1024;

/** Tuning for `npzEntrySource` (tests use a small spacing to exercise checkpoints on small data). */
export interface NpzEntryOptions {
  checkpointSpacing?: number;
}

/**
 * A deflated entry read through a streaming inflater. It keeps the inflate state, the compressed
 * position and the inflated chunks not yet read past, so sequential forward reads are O(total).
 * It also records checkpoints (see Checkpoint), so a read behind the current position — a new pass,
 * or the per-column reads of a Fortran-order array — resumes near where it starts instead of from
 * the beginning. The CRC-32 of the inflated bytes is checked against the directory once the end is
 * reached (as Python's zipfile does), so a corrupted archive cannot silently yield wrong numbers.
 */
class InflatingSource implements ByteSource {
  readonly size: number;
  private inflater!: Inflate;
  /** Compressed bytes read from the container (some may still wait in `pendingCompressed`). */
  private compressedPos = 0;
  private pendingCompressed: Uint8Array = new Uint8Array(0);
  /** Inflated chunks covering [keptStart, inflatedEnd). */
  private kept: Uint8Array[] = [];
  private keptStart = 0;
  private inflatedEnd = 0;
  private finished = false;
  private crc = 0;
  private queue: Promise<unknown> = Promise.resolve();
  /** Sorted by `inflated`. */
  private checkpoints: Checkpoint[] = [];
  private lastSpacingCheckpoint = 0;
  private serial = 0;
  private readonly checkpointSpacing: number;
  private checkpointsWork = true;
  /** Compressed bytes per container read: no more than a checkpoint interval needs after a resume. */
  private readonly compressedReadBytes: number;
  /** Compressed / inflated size of the whole entry. */
  private readonly compressionRatio: number;

  constructor(
    private readonly container: ByteSource,
    readonly name: string,
    private readonly entry: ZipEntry,
    private readonly dataStart: number,
    opts: NpzEntryOptions = {},
  ) {
    this.size = entry.uncompressedSize;
    this.checkpointSpacing = opts.checkpointSpacing ?? Math.max(MIN_CHECKPOINT_SPACING, Math.ceil(this.size / MAX_SPACING_CHECKPOINTS));
    this.compressionRatio = entry.compressedSize / Math.max(1, entry.uncompressedSize);
    this.compressedReadBytes = Math.min(COMPRESSED_READ_BYTES, Math.max(INFLATE_PUSH_BYTES, this.checkpointSpacing));
    this.resume(undefined);
  }

  /** Starts over from the beginning, or from `checkpoint` (a used cursor checkpoint is dropped). */
  private resume(checkpoint: Checkpoint | undefined): void {
    this.inflater = new Inflate((chunk, final) => {
      if (chunk.length) {
        this.kept.push(chunk);
        this.inflatedEnd += chunk.length;
        this.crc = crc32Update(this.crc, chunk);
      }
      if (final) this.finished = true;
    });
    this.pendingCompressed = new Uint8Array(0);
    this.finished = false;
    if (!checkpoint) {
      this.compressedPos = 0;
      this.kept = [];
      this.keptStart = 0;
      this.inflatedEnd = 0;
      this.crc = 0;
      return;
    }
    restoreInflater(this.inflater, checkpoint.state);
    this.compressedPos = checkpoint.compressedFed;
    this.kept = checkpoint.tail.length ? [checkpoint.tail] : [];
    this.keptStart = checkpoint.inflated;
    this.inflatedEnd = checkpoint.inflated + checkpoint.tail.length;
    this.crc = checkpoint.crc;
    if (checkpoint.kind === 'cursor') this.checkpoints = this.checkpoints.filter((c) => c !== checkpoint);
  }

  /** The checkpoint starting closest at or before `offset`. */
  private checkpointBefore(offset: number): Checkpoint | undefined {
    let lo = 0;
    let hi = this.checkpoints.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.checkpoints[mid]!.inflated <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.checkpoints[lo - 1] : undefined;
  }

  /** Records a checkpoint of the current state whose output starts at `from` (kept bytes from there on). */
  private recordCheckpoint(kind: Checkpoint['kind'], from: number): void {
    if (!this.checkpointsWork || this.finished || from < this.keptStart || from > this.inflatedEnd) return;
    if (this.inflatedEnd - from > MAX_CURSOR_TAIL_BYTES) return;
    const state = snapshotInflater(this.inflater);
    if (!state) {
      this.checkpointsWork = false;
      return;
    }
    const tail = new Uint8Array(this.inflatedEnd - from);
    let pos = this.keptStart;
    for (const chunk of this.kept) {
      const a = Math.max(from, pos);
      const b = pos + chunk.length;
      if (a < b) tail.set(chunk.subarray(a - pos), a - from);
      pos = b;
    }
    const checkpoint: Checkpoint = {
      inflated: from,
      tail,
      compressedFed: this.compressedPos - this.pendingCompressed.length,
      crc: this.crc,
      state,
      kind,
      serial: this.serial++,
    };
    const at = this.checkpoints.findIndex((c) => c.inflated > from);
    this.checkpoints.splice(at < 0 ? this.checkpoints.length : at, 0, checkpoint);
    const cursors = this.checkpoints.filter((c) => c.kind === 'cursor');
    if (cursors.length > MAX_CURSOR_CHECKPOINTS) {
      const oldest = cursors.reduce((a, b) => (a.serial < b.serial ? a : b));
      this.checkpoints = this.checkpoints.filter((c) => c !== oldest);
    }
  }

  private corrupt(reason: string): WorkbenchError {
    return new WorkbenchError('NPZ_BAD_ARCHIVE', `${printable(this.name, 200)}: the deflated data is corrupt (${reason}).`, this.name);
  }

  /** Inflates until [.., until) is available or the stream ends, dropping output before `keepFrom`. */
  private async inflateUntil(until: number, keepFrom: number): Promise<void> {
    while (this.inflatedEnd < until && !this.finished) {
      if (this.pendingCompressed.length === 0) {
        const remaining = this.entry.compressedSize - this.compressedPos;
        if (remaining <= 0) {
          this.pushToInflater(new Uint8Array(0), true);
          break;
        }
        // Read about as much compressed input as the output still needed takes at the entry's average
        // ratio (with a margin), so a short read after a resume does not fetch a block it will not use.
        const estimate = Math.ceil((until - this.inflatedEnd) * this.compressionRatio * 1.1) + MIN_COMPRESSED_READ_BYTES;
        const want = Math.min(this.compressedReadBytes, remaining, estimate);
        const block = await this.container.read(this.dataStart + this.compressedPos, want);
        if (block.length !== want) throw this.corrupt('the archive ended inside it');
        this.pendingCompressed = block;
        this.compressedPos += want;
      }
      if (this.inflatedEnd > this.size) throw this.corrupt(`it inflates to more than the ${this.size} bytes the zip directory says`);
      const pieceBytes = until - this.inflatedEnd < FINE_PUSH_WITHIN ? FINE_PUSH_BYTES : INFLATE_PUSH_BYTES;
      const piece = this.pendingCompressed.subarray(0, pieceBytes);
      this.pendingCompressed = this.pendingCompressed.subarray(piece.length);
      const last = this.pendingCompressed.length === 0 && this.compressedPos === this.entry.compressedSize;
      this.pushToInflater(piece, last);
      if (this.inflatedEnd - this.lastSpacingCheckpoint >= this.checkpointSpacing && !this.finished) {
        this.lastSpacingCheckpoint = this.inflatedEnd;
        // Only the first pass over a region adds spacing checkpoints.
        const previous = this.checkpointBefore(this.inflatedEnd);
        if (!previous || this.inflatedEnd - previous.inflated >= this.checkpointSpacing) this.recordCheckpoint('spacing', this.inflatedEnd);
      }
      this.dropBefore(keepFrom);
    }
  }

  private pushToInflater(piece: Uint8Array, final: boolean): void {
    try {
      this.inflater.push(piece, final);
    } catch (e) {
      throw this.corrupt(e instanceof Error ? e.message : String(e));
    }
    if (final) this.finished = true;
  }

  private dropBefore(offset: number): void {
    while (this.kept.length > 0 && this.keptStart + this.kept[0]!.length <= offset) {
      this.keptStart += this.kept.shift()!.length;
    }
  }

  /**
   * Reads are queued: callers may issue several at once (read-ahead, one read per Fortran column),
   * and the single inflater must serve them one after another.
   */
  read(offset: number, length: number): Promise<Uint8Array> {
    const result = this.queue.then(() => this.readNow(offset, length));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async readNow(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.min(this.size, start + Math.max(0, length));
    // Behind what is kept: resume from the nearest checkpoint (or the start). Ahead of what has been
    // inflated: jump to a checkpoint past the current position if there is one.
    const checkpoint = this.checkpointBefore(start);
    if (start < this.keptStart || (checkpoint && checkpoint.inflated > this.inflatedEnd)) {
      this.resume(checkpoint);
      this.lastSpacingCheckpoint = this.inflatedEnd;
    }
    this.dropBefore(start);
    // A read that reaches the end runs the inflater to the end of the stream to check size and CRC.
    await this.inflateUntil(end === this.size ? Infinity : end, start);
    if (this.inflatedEnd < end || (this.finished && this.inflatedEnd !== this.size)) {
      throw this.corrupt(`it inflates to ${this.inflatedEnd} bytes but the zip directory says ${this.size}`);
    }
    if (this.finished && this.crc !== this.entry.crc32) {
      throw this.corrupt(`CRC-32 ${hex32(this.crc)} does not match the directory's ${hex32(this.entry.crc32)}`);
    }
    const out = new Uint8Array(end - start);
    let pos = this.keptStart;
    for (const chunk of this.kept) {
      const from = Math.max(start, pos);
      const to = Math.min(end, pos + chunk.length);
      if (from < to) out.set(chunk.subarray(from - pos, to - pos), from - start);
      pos += chunk.length;
      if (pos >= end) break;
    }
    if (end < this.size) this.recordCheckpoint('cursor', end);
    return out;
  }
}
