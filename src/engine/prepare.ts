/**
 * The prepare pipeline (issue 3): read labels → split like sklearn (src/core/split.ts) → fit clip/impute/
 * scale on the training rows (src/core/preprocess.ts) → one streaming pass per output window that
 * transforms every row in WASM and lays it at its place in its split → optional SMOTE on the training
 * split → the bucket layout with SHA-256 of every file, split health and provenance.
 *
 * Memory stays bounded by `memoryBytes` whatever the input size:
 *  - fit (prepare-fit.ts): the training values of as many columns as fit (float32 when the input is
 *    float32-exact, else float64) are appended column-major in file order, without their NaN when no
 *    sum needs the training order, one input pass per group of columns; the first pass also hashes
 *    every row for the leakage count (in Node with a float32 input, the hashing thread does that as it
 *    reads the file for its SHA-256);
 *  - apply: an output window of that size (rows of the three splits end to end: training, validation,
 *    test) is filled by scattering each transformed row to its place, then written out sequentially,
 *    one input pass per window. Files are written front to back, so every sink only needs `write`.
 *    In Node the windows alternate between two buffers, so that one window is written while the next
 *    is filled; an output that fits the budget takes two windows, the training split and then the
 *    other two. Window rows sit at addresses congruent to their file offsets modulo 4 KiB, so the
 *    CLI's sink writes them around the page cache (node-sink.ts).
 * With the CLI's 1 GiB budget a 4M x 50 float32 input takes one fit pass and two apply passes.
 * Speed (Node): SHA-256 runs on a second thread (node-hasher.ts), and from 200k rows the leakage count
 * on a third (leakage-thread.ts) that also selects order statistics of columns the fit hands over and
 * ends once released; both threads of the first job start in preloadPrepare. Little-endian float32 input
 * is read straight into WASM memory and used raw by the `_f32` kernels (prepare-stream.ts). Measured
 * numbers and where the time goes: bench/prepare.ts.
 */
import { WorkbenchError, throwIfAborted } from '../core/errors';
import { inputName, openInput, type InputRef } from '../core/input';
import { checkMetadataAgainst, validateFeaturesMetadata, type FeaturesMetadata } from '../core/metadata';
import { readArrayInfo, type ArrayInfo } from '../core/npy';
import { npyHeader } from '../core/npy-write';
import type { JobOptions, Progress } from '../core/progress';
import { throttleProgress } from '../core/progress';
import {
  DEFAULT_PREPARE_SETTINGS,
  validatePrepareSettings,
  type ColumnParams,
  type FeatureDrift,
  type FittedPreprocessor,
  type OutputFileInfo,
  type PrepareRequest,
  type PrepareResult,
  type PrepareSettings,
  type SplitHealth,
} from '../core/prepare-types';
import { clipNumpy, packApplyParams, SCALE_MODE, type ColumnFit } from '../core/preprocess';
import { fitColumns } from './prepare-fit';
import type { LeakageThread } from './leakage-thread';
import { CHUNK_BYTES, type ByteSource } from '../core/source';
import { DIRECT_ALIGN, type OutputSink } from '../core/sink';
import { positivesOf, splitRecipe, SPLIT_NAMES, type SplitName, type ThreeWaySplit } from '../core/split';
import { WORKBENCH_VERSION } from '../core/version';
import { createSha256, type Sha256Hasher } from './sha256';
import type { RowHashRequest, ThreadHasher } from './node-hasher';
import type { BrowserHasher } from './browser-hasher';
import { smoteSampleCount, smoteSynthesize } from './smote';
import { isRawF32, SlicedRowStream, type DirectSource } from './prepare-stream';
import { readAllF64 } from './stream';
import { instantiateKernels, isNode, kernelModule, type Kernels } from './wasm';

/** Default working-memory budget (fit column groups, output window). */
export const DEFAULT_MEMORY_BYTES = 512 * 1024 * 1024;

/** Rows binned for the drift check (every k-th row so that about this many are used). */
const DRIFT_SAMPLE_ROWS = 100_000;

export interface PrepareOptions extends JobOptions {
  /** Bytes of WASM memory for training columns (fit) and the output window (apply); default 512 MiB. */
  memoryBytes?: number;
  /** Raw input bytes per streamed window (default CHUNK_BYTES). */
  windowBytes?: number;
  /** Node: count rows shared between splits on a second thread (default: from LEAKAGE_THREAD_MIN_ROWS rows on). */
  leakageThread?: boolean;
}

/** An incremental hash of one file; on the hashing thread its calls are asynchronous. */
interface FileHash {
  update(bytes: Uint8Array): void | Promise<void>;
  digestHex(): string | Promise<string>;
}

let nodeCrypto: Promise<typeof import('node:crypto')> | null = null;

/**
 * An incremental SHA-256 on this thread. In Node, node:crypto (OpenSSL, SHA-NI: ~1.6 GB/s here; imported
 * once, as each dynamic import goes through the module loader) — the WASM kernel (~550 MB/s) is ~3× slower,
 * which would dominate a 4M-row job; in browsers and workers, the WASM kernel.
 */
async function newHasher(): Promise<Sha256Hasher> {
  if (isNode) {
    nodeCrypto ??= import(/* @vite-ignore */ 'node:crypto');
    const h = (await nodeCrypto).createHash('sha256');
    return { update: (b) => void h.update(b), digestHex: () => h.digest('hex') };
  }
  return createSha256();
}

/** Bytes hashed on this thread between two turns of the event loop (yieldingHasher). */
const HERE_PIECE_BYTES = 4 * 1024 * 1024;

/**
 * A hash on this thread that lets the event loop run between pieces, so that the hashing thread's
 * buffers keep coming back and being refilled (Node: used for the last window's last file, when this
 * thread has nothing else to do).
 */
async function yieldingHasher(): Promise<FileHash> {
  const h = await newHasher();
  return {
    async update(bytes) {
      for (let at = 0; at < bytes.byteLength; at += HERE_PIECE_BYTES) {
        h.update(bytes.subarray(at, at + HERE_PIECE_BYTES));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    },
    digestHex: () => h.digestHex(),
  };
}

let nodeOnlyModule: Promise<typeof import('./node-hasher')> | null = null;

/** The Node-only helpers (one dynamic import: each goes through the module loader, ~20 ms under tsx). */
function nodeOnly(): Promise<typeof import('./node-hasher')> {
  nodeOnlyModule ??= import(/* @vite-ignore */ './node-hasher') as Promise<typeof import('./node-hasher')>;
  return nodeOnlyModule;
}

/** A hashing thread started ahead of the next job (Node; preloadPrepare). */
let spareHasher: Promise<ThreadHasher | null> | null = null;
/** A leakage thread started ahead of the next job (Node; preloadPrepare). */
let spareLeakage: Promise<LeakageThread | null> | null = null;
let leakageModule: Promise<typeof import('./leakage-thread')> | null = null;

function leakageThreadModule(): Promise<typeof import('./leakage-thread')> {
  leakageModule ??= import(/* @vite-ignore */ './leakage-thread') as Promise<typeof import('./leakage-thread')>;
  return leakageModule;
}

/**
 * Loads what a job loads on first use (the Node-only helpers, node:crypto, the compiled kernels), so
 * that a caller can do it at start-up instead of inside its first job (each costs tens of
 * milliseconds). Started when this module loads; a failure surfaces in the job that needs the module.
 * With `threads` (Node), the next job's worker threads are started too.
 */
export function preloadPrepare(opts: { threads?: boolean } = {}): Promise<void> {
  const loads: Promise<unknown>[] = [kernelModule()];
  if (isNode) {
    nodeCrypto ??= import(/* @vite-ignore */ 'node:crypto');
    // (node-source: what core/input.ts imports to open a path.)
    loads.push(nodeOnly(), nodeCrypto, import(/* @vite-ignore */ '../core/node-source'));
  }
  if (isNode && opts.threads) {
    // `threads`: a prepare job is coming (the CLI's prepare command, the benchmark): its hashing and
    // leakage threads boot now (~20 ms each, idle until adopted) instead of inside the job.
    spareLeakage ??= Promise.all([leakageThreadModule(), kernelModule()]).then(
      ([{ LeakageThread }, module]) => {
        const thread = LeakageThread.start(module);
        thread.keepAlive(false);
        return thread;
      },
      () => null,
    );
    spareHasher ??= nodeOnly().then(
      ({ ThreadHasher }) => {
        const thread = new ThreadHasher();
        thread.keepAlive(false);
        return thread;
      },
      () => null,
    );
  }
  // The threads count as start-up too: the job starts once they answer (~20 ms each of the other core).
  if (spareLeakage) loads.push(spareLeakage.then((t) => t?.ready()));
  if (spareHasher) loads.push(spareHasher.then((t) => t?.ready()));
  return Promise.all(loads).then(
    () => {},
    () => {},
  );
}
void preloadPrepare();

/**
 * Where the job's hashes run: a second thread in Node (node-hasher.ts), a nested worker in the page
 * (browser-hasher.ts), else this thread.
 */
interface Hashing {
  /** A new hash for an output file. */
  open(): Promise<FileHash>;
  /** The Node thread, when there is one (it can also read input files itself). */
  thread: ThreadHasher | null;
  /** The page's hashing worker, when there is one. */
  worker?: BrowserHasher;
  close(): Promise<void>;
}

async function startHashing(): Promise<Hashing> {
  if (isNode) {
    try {
      const spare = await spareHasher?.catch(() => null);
      spareHasher = null;
      const { ThreadHasher } = await nodeOnly();
      const thread = spare?.healthy ? spare : new ThreadHasher();
      thread.keepAlive(true);
      return { open: async () => thread.open(), thread, close: () => thread.close() };
    } catch {
      // No worker_threads here: hash on this thread.
    }
  } else {
    try {
      const { BrowserHasher } = await import('./browser-hasher');
      const worker = await BrowserHasher.start();
      return { open: async () => worker.open(), thread: null, worker, close: () => worker.close() };
    } catch {
      // No nested workers here, or this one did not start: hash on this thread.
    }
  }
  return { open: newHasher, thread: null, close: async () => {} };
}

/** A source that hashes its bytes as they are first read in order; `digest()` reads whatever was skipped. */
class HashingSource implements ByteSource {
  private hashedTo = 0;
  constructor(
    private readonly inner: ByteSource,
    private readonly hasher: FileHash,
  ) {}
  get name() {
    return this.inner.name;
  }
  get size() {
    return this.inner.size;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const bytes = await this.inner.read(offset, length);
    if (offset <= this.hashedTo && offset + bytes.length > this.hashedTo) {
      await this.hasher.update(bytes.subarray(this.hashedTo - offset));
      this.hashedTo = offset + bytes.length;
    }
    return bytes;
  }
  async digest(): Promise<string> {
    while (this.hashedTo < this.size) {
      const got = await this.read(this.hashedTo, Math.min(CHUNK_BYTES, this.size - this.hashedTo));
      if (got.length === 0) break;
    }
    return this.hasher.digestHex();
  }
  close() {
    return this.inner.close?.() ?? Promise.resolve();
  }
}

/** An input with its SHA-256 to come: hashed by the hashing thread straight from disk, or as it is read. */
type HashedInput = DirectSource & {
  digest(): Promise<string>;
  /**
   * Starts hashing now, if that waits for a call (the hashing thread reading the file itself); with
   * `rows`, the thread also hashes every row (rowHashes()).
   */
  startHashing?: (rows?: RowHashRequest) => void;
  /** The row hashes the hashing thread computes (after startHashing with `rows`). */
  rowHashes?: () => Promise<BigUint64Array> | null;
};

async function openHashedInput(ref: InputRef, hashing: Hashing): Promise<HashedInput> {
  const src = await openInput(ref);
  // In the page the hashing worker gets the bytes as they are read: letting it read the File a second
  // time itself measured ~0.2 s slower at 1M x 50 (File reads go through the browser process).
  if (hashing.worker) return new HashingSource(src, await hashing.open());
  // Elsewhere the bytes are hashed as they are read (readInto would skip the hash).
  if (!(hashing.thread && ref.kind === 'path' && !ref.entry)) return new HashingSource(src, await newHasher());
  // A file on disk: the hashing thread reads it itself, and windows are read straight into WASM memory
  // (the file source's readInto).
  let digest: Promise<string> | null = null;
  let rows: Promise<BigUint64Array> | null = null;
  const start = (rowRequest?: RowHashRequest) => {
    if (!digest) {
      if (rowRequest) {
        ({ digest, rows } = hashing.thread!.hashFileAndRows(ref.path, rowRequest));
        rows.catch(() => {}); // awaited after the fit
      } else {
        digest = hashing.thread!.hashFile(ref.path);
      }
      digest.catch(() => {}); // awaited at the end; a failure must not be unhandled meanwhile
    }
    return digest;
  };
  return {
    name: src.name,
    size: src.size,
    read: (o, l) => src.read(o, l),
    readInto: src.readInto?.bind(src),
    close: async () => src.close?.(),
    digest: () => start(),
    startHashing: (r) => void start(r),
    rowHashes: () => rows,
  };
}

/** Writes one output file through the sink while hashing it; returns its size and SHA-256. */
class HashedFile {
  private bytes = 0;
  private constructor(
    readonly path: string,
    private readonly file: Awaited<ReturnType<OutputSink['create']>>,
    private readonly hasher: FileHash,
    private readonly pieceBytes = 0,
  ) {}
  /** `here`: hash on this thread (in pieces, yielding between them) rather than on the hashing thread. */
  static async create(sink: OutputSink, path: string, hashing: Hashing, expectedBytes?: number, here = false): Promise<HashedFile> {
    return new HashedFile(path, await sink.create(path, expectedBytes), here ? await yieldingHasher() : await hashing.open(), hashing.worker?.pieceBytes);
  }
  async write(b: Uint8Array): Promise<void> {
    // The page's OPFS writes are synchronous and its hashing worker holds only a few pieces: write piece
    // by piece so that the worker hashes each piece while the next is written. Elsewhere one piece.
    const step = this.pieceBytes || b.byteLength || 1;
    for (let at = 0; at === 0 || at < b.byteLength; at += step) {
      const piece = b.subarray(at, at + step);
      // Start the write first: a Node file write runs on libuv's thread pool, in parallel with hashing.
      const written = this.file.write(piece);
      await this.hasher.update(piece);
      this.bytes += piece.byteLength;
      await written;
    }
  }
  async close(): Promise<OutputFileInfo> {
    await this.file.close();
    return { path: this.path, bytes: this.bytes, sha256: await this.hasher.digestHex() };
  }
}

async function writeWhole(sink: OutputSink, path: string, bytes: Uint8Array, hashing: Hashing): Promise<OutputFileInfo> {
  const f = await HashedFile.create(sink, path, hashing);
  await f.write(bytes);
  return f.close();
}

function mergeSettings(s: Partial<PrepareSettings> | undefined): PrepareSettings {
  return validatePrepareSettings({ ...DEFAULT_PREPARE_SETTINGS, ...(s ?? {}) } as PrepareSettings);
}

function checkInputs(feat: ArrayInfo, lab: ArrayInfo): void {
  if (feat.shape.length !== 2) {
    throw new WorkbenchError('INPUT_MISMATCH', `${feat.name}: the features must be a 2-D array (rows, features), got shape (${feat.shape.join(', ')}).`, feat.name);
  }
  if (!(lab.shape.length === 1 || (lab.shape.length === 2 && lab.shape[1] === 1))) {
    throw new WorkbenchError('INPUT_MISMATCH', `${lab.name}: the labels must be a 1-D array (rows,) or (rows, 1), got shape (${lab.shape.join(', ')}).`, lab.name);
  }
  if (feat.rows !== lab.rows) {
    throw new WorkbenchError('INPUT_MISMATCH', `${lab.name} has ${lab.rows} rows but ${feat.name} has ${feat.rows}; they must describe the same samples.`, lab.name);
  }
  if (feat.cols === 0) throw new WorkbenchError('INPUT_MISMATCH', `${feat.name} has no feature columns.`, feat.name);
}

/** Runs the whole prepare job and writes `data/...` to `req.out`. */
export async function runPrepare(req: PrepareRequest, opts: PrepareOptions = {}): Promise<PrepareResult> {
  const settings = mergeSettings(req.settings);
  const progress = throttleProgress(opts.onProgress);
  const report = (p: Progress) => progress(p);
  const signal = opts.signal;
  const memoryBytes = Math.max(16 * 1024 * 1024, opts.memoryBytes ?? DEFAULT_MEMORY_BYTES);
  const warnings: string[] = [];

  const hashing = await startHashing();
  let leakageThread: LeakageThread | null = null;
  let featSrc: HashedInput | null = null;
  let labSrc: HashedInput | null = null;
  try {
    featSrc = await openHashedInput(req.features, hashing);
    labSrc = await openHashedInput(req.labels, hashing);
    const featInfo = await readArrayInfo(featSrc);
    const labInfo = await readArrayInfo(labSrc);
    checkInputs(featInfo, labInfo);
    warnings.push(...featInfo.warnings, ...labInfo.warnings);
    const n = featInfo.rows;
    const d = featInfo.cols;
    const meta = checkedMetadata(req.metadata, d, warnings);
    const kernels = await instantiateKernels();

    // 1. Labels and the split.
    report({ phase: 'splitting', done: 0, total: n });
    const labels = await readAllF64(labSrc, labInfo, kernels, { signal });
    // Rows shared between splits are counted from row hashes (split health): in Node on a second thread
    // (which also selects for the fit), else here.
    leakageThread = await startLeakageThread(opts.leakageThread ?? n >= LEAKAGE_THREAD_MIN_ROWS, kernels);
    // The hashing thread reads the features file from now on (started earlier, its reads held up this
    // one); for float32 C-order input it also hashes every row as it reads (no work for the fit's pass).
    const rowsOnHashingThread = !!(leakageThread && featSrc.rowHashes && isRawF32(featInfo));
    featSrc.startHashing?.(rowsOnHashingThread ? { module: await kernelModule(kernels.flavour), headerBytes: featInfo.headerBytes, rowBytes: d * 4, n } : undefined);
    labSrc.startHashing?.();
    throwIfAborted(signal);
    const split = splitRecipe(kernels, labels, settings);
    warnings.push(...split.warnings);
    report({ phase: 'splitting', done: n, total: n });
    const smote = settings.smote ? planSmote(split, settings) : null;
    const sizes = { training: split.training.length, validation: split.validation.length, test: split.test.length };

    // 2. Labels and indices of each split. Their writes (and hashes) run while the fit reads the input;
    // they are awaited before the apply pass allocates its big buffers.
    // Training with SMOTE: the original rows, then the synthetic ones (minority label, index -1).
    const smallFiles: Array<Promise<OutputFileInfo>> = [];
    // Gathered in WASM from a float32 copy (the same rounding as storing into lab), then copied out: the
    // writes outlive this arena.
    kernels.reset();
    const labels32Ptr = kernels.alloc(n * 4);
    kernels.f32(labels32Ptr, n).set(labels);
    const rowsPtr = kernels.alloc(Math.max(1, largestSplitRows(split)) * 4);
    for (const name of SPLIT_NAMES) {
      const rows = split[name];
      const extra = name === 'training' && smote ? smote.nSynthetic : 0;
      const mark = kernels.mark();
      const labPtr = kernels.alloc((rows.length + extra) * 4);
      const idxPtr = kernels.alloc((rows.length + extra) * 8);
      kernels.u32(rowsPtr, rows.length).set(rows);
      kernels.exports.split_gather_outputs(labels32Ptr, rowsPtr, rows.length, labPtr, idxPtr);
      const lab = kernels.f32(labPtr, rows.length + extra).slice();
      if (extra) lab.fill(smote!.minorityLabel, rows.length);
      smallFiles.push(writeNpy(req.out, `data/${name}/labels.npy`, '<f4', [lab.length], lab, hashing));
      const idx = kernels.u32(idxPtr, lab.length * 2).slice(); // int64 little endian: low word = row, high word = 0
      if (extra) idx.fill(0xffffffff, rows.length * 2);
      smallFiles.push(writeNpy(req.out, `data/${name}/indices.npy`, '<i8', [lab.length], idx, hashing));
      if (extra) {
        const synthetic = new Uint8Array(lab.length);
        synthetic.fill(1, rows.length);
        smallFiles.push(writeNpy(req.out, `data/training/is_synthetic.npy`, '|b1', [lab.length], synthetic, hashing));
      }
      kernels.release(mark);
    }
    const smallWritten = Promise.all(smallFiles);
    smallWritten.catch(() => {}); // awaited after the fit; a failure meanwhile must not be unhandled
    // The features files (with their headers) are created while the fit runs, too.
    const featureFiles = createFeatureFiles(req.out, split, d, smote, hashing);
    featureFiles.catch(() => {}); // awaited by the apply

    // 3. Fit on the training rows, a group of columns per input pass. Its first pass also hashes every
    // row (unless the hashing thread does), and the rows shared between splits are counted from those
    // hashes: on the leakage thread while this one fits and applies, else here right away.
    let rowHashes: BigUint64Array = new BigUint64Array(0);
    let countAsked: Promise<void> | undefined;
    let leakage: Promise<LeakageCandidates> | null = null;
    const onFirstPass = (hashesPtr: number, destPtr: number) => {
      const count = (hashes: BigUint64Array, dest: Uint32Array) =>
        leakageThread!.count(hashes, dest, sizes.training, sizes.training + sizes.validation, MAX_VERIFIED_KEYS).then(leakageOf);
      if (rowsOnHashingThread) {
        const dest = kernels.u32(destPtr, n).slice();
        const hashes = featSrc!.rowHashes!()!;
        // The thread counts before it takes columns over (its count's memory must be gone before the
        // apply allocates): the hand-overs wait until the count is asked.
        countAsked = hashes.then(() => {}, () => {});
        leakage = hashes.then((h) => {
          rowHashes = h;
          return count(h.slice(), dest);
        });
      } else {
        rowHashes = new BigUint64Array(kernels.u8(hashesPtr, n * 8).slice().buffer);
        leakage = leakageThread ? count(rowHashes.slice(), kernels.u32(destPtr, n).slice()) : Promise.resolve(leakageCandidates(kernels, split, hashesPtr, destPtr));
      }
      leakage.catch(() => {}); // awaited after the apply; a failure meanwhile must not be unhandled
    };
    const fitRange = { rowsInOrder: SPLIT_NAMES.map((name) => split[name]), nTr: split.training.length, c0: 0, c1: d, settings, memoryBytes, windowBytes: opts.windowBytes, onFirstPass, hashRows: !rowsOnHashingThread, helper: leakageThread ?? undefined, helperReady: () => countAsked };
    const fits = await fitColumns(kernels, featSrc, featInfo, fitRange, signal, (done, total) => report({ phase: 'fitting', done, total }));
    leakageThread?.release();
    const emptyCols = fits.flatMap((f, j) => (f.empty ? [j] : []));
    if (emptyCols.length > 0) {
      warnings.push(`Feature column${emptyCols.length > 1 ? 's' : ''} ${emptyCols.join(', ')} ha${emptyCols.length > 1 ? 've' : 's'} no value in the training rows; ${settings.impute.kind === 'none' ? 'they stay missing' : 'they are filled with 0 (sklearn keep_empty_features=True)'}.`);
    }

    const files: OutputFileInfo[] = await smallWritten;
    // The leakage thread's memory (~30 bytes a row) must be gone before the apply's buffers are touched:
    // peak memory would otherwise depend on which finishes first.
    if (leakageThread) await leakage!.then(() => leakageThread!.ended(), () => {});

    // 4. Apply: transform every row into its split's place, one output window per input pass.
    const { driftCounts } = await applyAll(kernels, featSrc, featInfo, split, fits, settings, memoryBytes, opts, report, await featureFiles, files, smote, labels);

    // 5. Health, provenance and metadata.
    const featureNames = meta?.feature_names ?? Array.from({ length: d }, (_, j) => `feature_${j}`);
    // Should the leakage thread fail (it never has), the count is redone here rather than lose the job
    // (unless the row hashes themselves are missing: then the input could not be read).
    const shared = await leakage!.catch((e) => {
      if (rowHashes.length !== n) throw e;
      return leakageFromCopy(kernels, split, rowHashes);
    });
    const health = await splitHealth(split, featureNames, driftCounts, rowHashes, shared, d, featSrc, featInfo);
    const fitted = fittedPreprocessor(settings, fits);
    report({ phase: 'hashing inputs', done: 0, total: featSrc.size + labSrc.size });
    const inputs: OutputFileInfo[] = [
      { path: inputName(req.features), bytes: featSrc.size, sha256: await featSrc.digest() },
      { path: inputName(req.labels), bytes: labSrc.size, sha256: await labSrc.digest() },
    ];
    report({ phase: 'hashing inputs', done: featSrc.size + labSrc.size, total: featSrc.size + labSrc.size });
    const preprocessorJson = { workbench_version: WORKBENCH_VERSION, ...fitted, python: SKLEARN_SNIPPET };
    files.push(await writeWhole(req.out, 'data/preprocessor.json', jsonBytes(preprocessorJson), hashing));
    const metadata = buildMetadata(meta, featureNames, settings, split, sizes, fitted, health, inputs, files, warnings, smote);
    files.push(await writeWhole(req.out, 'data/features_metadata.json', jsonBytes(metadata), hashing));
    report({ phase: 'done', done: 1, total: 1 });
    return {
      rows: n,
      features: d,
      sizes: { ...sizes, synthetic: smote?.nSynthetic ?? 0 },
      settings,
      fitted,
      health,
      files,
      inputs,
      warnings,
    };
  } finally {
    await leakageThread?.close();
    await featSrc?.close?.();
    await labSrc?.close?.();
    await hashing.close();
  }
}

async function writeNpy(sink: OutputSink, path: string, descr: string, shape: number[], data: ArrayBufferView, hashing: Hashing): Promise<OutputFileInfo> {
  const header = npyHeader(descr, shape);
  const f = await HashedFile.create(sink, path, hashing, header.byteLength + data.byteLength);
  await f.write(header);
  await f.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return f.close();
}

function jsonBytes(o: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(o, jsonNumbers, 2) + '\n');
}

/** JSON has no NaN/Infinity: write them as strings numpy's float() reads back. */
function jsonNumbers(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  return v;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Fills `dest` (u32 per input row) with each row's global output row: training, then validation, then test. */
function fillDest(kernels: Kernels, split: ThreeWaySplit, base: Record<SplitName, number>, n: number): number {
  const dest = kernels.alloc(n * 4);
  for (const name of SPLIT_NAMES) {
    const rows = split[name];
    if (rows.length === 0) continue;
    const ptr = kernels.alloc(rows.length * 4);
    kernels.u32(ptr, rows.length).set(rows);
    kernels.exports.tf_fill_dest(dest, ptr, rows.length, base[name]);
  }
  return dest;
}


/**
 * The three features files, created at once (each a few file-system round trips) with their npy headers
 * written, ready for the apply's windows.
 */
async function createFeatureFiles(sink: OutputSink, split: ThreeWaySplit, d: number, smote: SmotePlan | null, hashing: Hashing): Promise<Map<SplitName, HashedFile>> {
  const created = await Promise.all(
    SPLIT_NAMES.map(async (name) => {
      const rows = split[name].length + (name === 'training' && smote ? smote.nSynthetic : 0);
      const header = npyHeader('<f4', [rows, d]);
      // With a hashing thread, the test file (the last window's last) is hashed here, beside the others.
      const here = name === 'test' && hashing.thread !== null && split.test.length > 0;
      const f = await HashedFile.create(sink, `data/${name}/features.npy`, hashing, header.byteLength + rows * d * 4, here);
      await f.write(header);
      return [name, f] as const;
    }),
  );
  return new Map<SplitName, HashedFile>(created);
}

async function applyAll(
  kernels: Kernels,
  src: DirectSource,
  info: ArrayInfo,
  split: ThreeWaySplit,
  fits: ColumnFit[],
  settings: PrepareSettings,
  memoryBytes: number,
  opts: PrepareOptions,
  report: (p: Progress) => void,
  out: Map<SplitName, HashedFile>,
  files: OutputFileInfo[],
  smote: SmotePlan | null,
  labels: Float64Array,
): Promise<{ driftCounts: Uint32Array }> {
  const n = info.rows;
  const d = info.cols;
  const x = kernels.exports;
  kernels.reset();
  const stream = new SlicedRowStream(src, info, kernels, { windowBytes: opts.windowBytes, signal: opts.signal });
  const rowBytes = d * 4;
  // Output rows are placed in the windows so that each byte's address agrees with its file offset modulo
  // 4 KiB: the splits start at rows whose byte offsets are multiples of 4 KiB (gaps of under `period`
  // rows between them, never written), windows hold a multiple of `period` rows, and each window starts
  // at an address congruent to the npy header's length. A Node sink can then write the windows around
  // the page cache (node-sink.ts) without copying them.
  const period = DIRECT_ALIGN / gcd(rowBytes, DIRECT_ALIGN);
  const headerBytes = npyHeader('<f4', [split.training.length, d]).byteLength;
  const roundUp = (v: number) => Math.ceil(v / period) * period;
  const at: Record<SplitName, number> = { training: 0, validation: roundUp(split.training.length), test: 0 };
  at.test = roundUp(at.validation + split.validation.length);
  const nOut = at.test + split.test.length;
  const dest = fillDest(kernels, split, at, n);
  const columns: ColumnParams[] = fits.map((f) => f.apply);
  const params = packApplyParams(columns);
  const paramsPtr = kernels.alloc(params.byteLength);
  kernels.f64(paramsPtr, params.length).set(params);
  const edges = new Float64Array(9 * d);
  fits.forEach((f, j) => edges.set(f.deciles, 9 * j));
  const edgesPtr = kernels.alloc(edges.byteLength);
  kernels.f64(edgesPtr, edges.length).set(edges);
  const countsPtr = kernels.alloc(3 * d * 11 * 4);
  kernels.u32(countsPtr, 3 * d * 11).fill(0);
  // Output windows [g0, g1), filled one input pass each. In Node they alternate between two buffers, so
  // that one window is written (libuv's threads) and hashed (the hashing thread) while the next one is
  // filled; elsewhere the writes are cheap next to the transform, and one buffer holds twice as many rows
  // (fewer passes). When the whole output fits in memory (Node), the windows are the training split, then
  // validation + test: the training file is written and hashed during the second pass, and the last two
  // files are hashed on two threads at once.
  const buffers = isNode ? 2 : 1;
  const windows: Array<[number, number]> = [];
  if (buffers === 2 && nOut * rowBytes <= memoryBytes && split.training.length > 0 && at.validation < nOut) {
    windows.push([0, at.validation], [at.validation, nOut]);
  } else {
    let windowRows = Math.max(1, Math.min(nOut, Math.floor(memoryBytes / rowBytes / buffers)));
    if (windowRows < nOut && windowRows > period) windowRows -= windowRows % period;
    for (let g0 = 0; g0 < nOut || windows.length === 0; g0 += windowRows) windows.push([g0, Math.min(nOut, g0 + windowRows)]);
  }
  // Each buffer as big as its largest window: memory this job has not touched yet costs ~0.4 s per GB
  // on a VM (the host backs each page on first use).
  const windowPtrs = Array.from({ length: Math.min(buffers, windows.length) }, (_, b) => {
    const rows = Math.max(1, ...windows.filter((_w, i) => i % buffers === b).map(([g0, g1]) => g1 - g0));
    const p = kernels.alloc(rows * rowBytes + 2 * DIRECT_ALIGN);
    return Math.ceil(p / DIRECT_ALIGN) * DIRECT_ALIGN + (headerBytes % DIRECT_ALIGN);
  });
  // 2: every fill is inside its clip range, bit for bit (the median of clipped values always is), which
  // lets the kernel impute before clipping (assembly/transform.ts TF_CLIP_FILL_INSIDE).
  const fillInside = fits.every((f) => f.apply.clipLo !== null && f.apply.clipHi !== null && f.apply.fill !== null && Object.is(clipNumpy(f.apply.fill, f.apply.clipLo, f.apply.clipHi), f.apply.fill));
  const clipOn = settings.clip ? (fillInside ? 2 : 1) : 0;
  const imputeOn = settings.impute.kind === 'none' ? 0 : 1;
  const mode = SCALE_MODE[settings.scaler];
  // Drift is estimated on every binStep-th row (100k-200k rows in all): decile PSI from ~15k validation
  // or test rows moves by ~1e-3, far below the 0.1 / 0.25 alarm levels.
  const binStep = Math.max(1, Math.floor(n / DRIFT_SAMPLE_ROWS));
  const b1 = at.validation;
  const b2 = at.test;

  // SMOTE needs the minority training rows in float64 (before the float32 cast), in training order.
  let slotPtr = 0;
  let minorityPtr = 0;
  if (smote) {
    const slots = new Uint32Array(n).fill(0xffffffff);
    let q = 0;
    for (const r of split.training) if (labels[r] === smote.minorityLabel) slots[r] = q++;
    slotPtr = kernels.alloc(n * 4);
    kernels.u32(slotPtr, n).set(slots);
    minorityPtr = kernels.alloc(Math.max(1, smote.nMinority) * d * 8);
  }
  const passes = windows.length;
  // Float32 input: the kernels read the raw rows (no float64 decode); SMOTE's float64 rows need the decode.
  const raw = stream.rawF32 && !smote;
  // The writes of the last window that used each buffer, and of each file (a file is written front to
  // back: a window's part of it waits for the previous window's).
  const written: Promise<unknown>[] = windowPtrs.map(() => Promise.resolve());
  const fileWritten = new Map<SplitName, Promise<void>>(SPLIT_NAMES.map((name) => [name, Promise.resolve()]));
  let prefaulted: Promise<boolean> = Promise.resolve(false);
  for (let pass = 0; pass < windows.length; pass++) {
    const [g0, g1] = windows[pass]!;
    const first = pass === 0;
    const buffer = pass % windowPtrs.length;
    const windowPtr = windowPtrs[buffer]!;
    await written[buffer];
    // While the first pass runs, the second buffer's pages are touched on another core (Node).
    if (pass === 0 && windowPtrs.length > 1 && isNode) {
      const bytes = Math.max(...windows.filter((_w, i) => i % buffers === 1).map(([a, b]) => b - a)) * rowBytes;
      prefaulted = nodeOnly().then((m) => m.prefault(kernels.u8(windowPtrs[1]!, bytes))).catch(() => false);
    }
    if (pass === 1) await prefaulted;
    await stream.pass(
      raw
        ? (rowStart, nRows, rowsPtr) => {
            x.tf_apply_rows_f32(rowsPtr, nRows, d, rowStart, dest, g0, g1, windowPtr, paramsPtr, clipOn, imputeOn, mode);
            if (first) x.tf_bin_counts_f32(rowsPtr, nRows, d, rowStart, binStep, dest, b1, b2, edgesPtr, countsPtr);
          }
        : (rowStart, nRows, blockPtr) => {
            x.tf_apply_rows(blockPtr, nRows, d, rowStart, dest, g0, g1, windowPtr, paramsPtr, clipOn, imputeOn, mode);
            if (first) {
              x.tf_bin_counts(blockPtr, nRows, d, rowStart, binStep, dest, b1, b2, edgesPtr, countsPtr);
              if (smote) x.tf_transform_rows_f64(blockPtr, nRows, d, rowStart, slotPtr, minorityPtr, paramsPtr, clipOn, imputeOn, mode);
            }
          },
      (p) => report({ phase: 'transforming', done: pass * p.total + p.done, total: passes * p.total }),
      'transforming',
      { raw },
    );
    // The window's rows of each split go to their files at once. Nothing allocates in this instance
    // until these writes are done, so the views stay valid.
    const parts = SPLIT_NAMES.flatMap((name) => {
      const lo = Math.max(g0, at[name]);
      const hi = Math.min(g1, at[name] + split[name].length);
      if (hi <= lo) return [];
      const bytes = kernels.u8(windowPtr + (lo - g0) * rowBytes, (hi - lo) * rowBytes);
      const done = fileWritten.get(name)!.then(() => out.get(name)!.write(bytes));
      fileWritten.set(name, done);
      return [done];
    });
    written[buffer] = Promise.all(parts);
    written[buffer]!.catch(() => {}); // awaited before the buffer is reused and below
  }
  const lastWritten = Promise.all(written);
  const driftCounts = kernels.u32(countsPtr, 3 * d * 11).slice();
  await lastWritten;
  if (smote) {
    const minority = kernels.f64(minorityPtr, smote.nMinority * d).slice();
    const training = out.get('training')!;
    await smoteSynthesize(minority, d, smote.nMajority, { k: smote.k, ratio: smote.ratio, seed: smote.seed }, {
      signal: opts.signal,
      onProgress: report,
      // The rows are converted at once, so a view of SMOTE's buffer saves a copy of every synthetic row.
      rowsView: true,
      onRows: async (rows) => {
        const f32 = Float32Array.from(rows); // round to nearest even, as numpy's astype(float32)
        await training.write(new Uint8Array(f32.buffer));
      },
    });
  }
  for (const name of SPLIT_NAMES) files.push(await out.get(name)!.close());
  return { driftCounts };
}

/** Per pair of splits: rows of the second whose row hash occurs in the first, and those hashes. */
interface LeakageCandidates {
  trainingValidation: { rows: number; keys: BigUint64Array };
  trainingTest: { rows: number; keys: BigUint64Array };
  validationTest: { rows: number; keys: BigUint64Array };
}

/** Most distinct shared hashes whose rows are compared byte for byte; beyond, equal hashes count as equal rows. */
const MAX_VERIFIED_KEYS = 10_000;

/**
 * Row count from which the leakage count runs on a second thread (Node): the thread is started ahead of
 * the job (preloadPrepare), so from here on it saves the job's thread more than handing over the hashes costs.
 */
const LEAKAGE_THREAD_MIN_ROWS = 200_000;

async function startLeakageThread(wanted: boolean, kernels: Kernels): Promise<LeakageThread | null> {
  if (!isNode || !wanted) return null;
  try {
    const module = await kernelModule(kernels.flavour);
    const spare = await spareLeakage?.catch(() => null);
    spareLeakage = null;
    if (spare?.healthy && spare.module === module) {
      spare.keepAlive(true);
      return spare;
    }
    void spare?.close();
    return (await leakageThreadModule()).LeakageThread.start(module);
  } catch {
    return null; // no worker_threads here: counted on this thread
  }
}

/** LeakageCandidates from tf_leakage's counts and key lists (pairs: training-validation, training-test, validation-test). */
function leakageOf(r: { counts: ArrayLike<number>; keys: BigUint64Array[] }): LeakageCandidates {
  const pair = (i: number) => ({ rows: r.counts[i]!, keys: r.keys[i]! });
  return { trainingValidation: pair(0), trainingTest: pair(1), validationTest: pair(2) };
}

/** leakageCandidates from the row hashes' copy, in memory allocated now (after the apply: nothing holds a view). */
function leakageFromCopy(kernels: Kernels, split: ThreeWaySplit, rowHashes: BigUint64Array): LeakageCandidates {
  const n = rowHashes.length;
  const hashesPtr = kernels.alloc(Math.max(1, n) * 8);
  new BigUint64Array(kernels.exports.memory.buffer, hashesPtr, n).set(rowHashes);
  const dest = fillDest(kernels, split, { training: 0, validation: split.training.length, test: split.training.length + split.validation.length }, n);
  return leakageCandidates(kernels, split, hashesPtr, dest);
}

function largestSplitRows(split: ThreeWaySplit): number {
  return Math.max(...SPLIT_NAMES.map((name) => split[name].length));
}

/**
 * Counts the rows each pair of splits shares by 64-bit row hash on this thread (tf_leakage: keys
 * bucketed by their top bits, each bucket sorted in cache), in scratch allocated here.
 */
function leakageCandidates(kernels: Kernels, split: ThreeWaySplit, hashesPtr: number, destPtr: number): LeakageCandidates {
  const sizes = { training: split.training.length, validation: split.validation.length, test: split.test.length };
  const n = sizes.training + sizes.validation + sizes.test;
  const x = kernels.exports;
  const out = kernels.alloc(6 * 4);
  const keys = [kernels.alloc(MAX_VERIFIED_KEYS * 8), kernels.alloc(MAX_VERIFIED_KEYS * 8), kernels.alloc(MAX_VERIFIED_KEYS * 8)] as const;
  const scratch = kernels.alloc(x.tf_leakage_scratch_bytes(n) as number);
  x.tf_leakage(hashesPtr, destPtr, n, sizes.training, sizes.training + sizes.validation, scratch, out, ...keys, MAX_VERIFIED_KEYS);
  const counts = kernels.u32(out, 6).slice();
  const list = (i: number) => new BigUint64Array(x.memory.buffer, keys[i]!, Math.min(counts[3 + i]!, MAX_VERIFIED_KEYS)).slice();
  return leakageOf({ counts, keys: [list(0), list(1), list(2)] });
}

/** What the SMOTE step will do, decided right after the split (so errors come before any writing). */
interface SmotePlan {
  k: number;
  ratio: 'auto' | number;
  seed: number;
  minorityLabel: number;
  majorityLabel: number;
  nMinority: number;
  nMajority: number;
  nSynthetic: number;
}

function planSmote(split: ThreeWaySplit, settings: PrepareSettings): SmotePlan {
  const s = settings.smote!;
  const present = split.classes.flatMap((c, i) => (split.classCounts.training[i]! > 0 ? [[c, split.classCounts.training[i]!] as const] : []));
  if (present.length !== 2) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs exactly two classes in the training split, but it has ${present.length}.`);
  }
  const continuous = present.find(([c]) => !Number.isInteger(c));
  if (continuous) {
    // imblearn refuses non-integer labels ("Unknown label type: 'continuous'").
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE needs class labels, but the training split has the label ${continuous[0]}.`);
  }
  // imblearn: the majority is the largest class, the smaller label winning a tie.
  const [[a, na], [b, nb]] = present as [readonly [number, number], readonly [number, number]];
  const majorityFirst = nb > na ? false : true;
  const [majorityLabel, nMajority] = majorityFirst ? [a, na] : [b, nb];
  const [minorityLabel, nMinority] = majorityFirst ? [b, nb] : [a, na];
  const ratio = s.ratio ?? 'auto';
  const nSynthetic = smoteSampleCount(nMinority, nMajority, ratio);
  if (s.k >= nMinority) {
    throw new WorkbenchError('SMOTE_IMPOSSIBLE', `SMOTE with k=${s.k} neighbours needs at least ${s.k + 1} minority rows, but the training split has ${nMinority}.`);
  }
  if (settings.impute.kind === 'none') {
    throw new WorkbenchError('BAD_SETTING', 'SMOTE needs complete features: choose an imputation (median, mean or constant) with SMOTE.');
  }
  return { k: s.k, ratio, seed: s.seed ?? settings.seed, minorityLabel, majorityLabel, nMinority, nMajority, nSynthetic };
}

/**
 * The given features_metadata.json, checked against the features: wrong types, a wrong n_features, a
 * name count that differs from the columns or repeated names are BAD_METADATA (they would make the
 * written metadata lie); other disagreements become warnings.
 */
function checkedMetadata(given: unknown, d: number, warnings: string[]): FeaturesMetadata | undefined {
  if (given === undefined || given === null) return undefined;
  const meta = validateFeaturesMetadata(given, 'the metadata');
  for (const p of checkMetadataAgainst(meta, d)) {
    if (p.code === 'METADATA_N_FEATURES' || p.code === 'METADATA_NAMES_COUNT' || p.code === 'METADATA_DUPLICATE_NAME') {
      throw new WorkbenchError('BAD_METADATA', `The metadata does not fit the features: ${p.message}`);
    }
    warnings.push(`Metadata: ${p.message}`);
  }
  return meta;
}

/** PSI of `actual` bin counts against `expected` (training) bin counts; empty bins get a small floor. */
function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  let te = 0;
  let ta = 0;
  for (let b = 0; b < expected.length; b++) {
    te += expected[b]!;
    ta += actual[b]!;
  }
  if (te === 0 || ta === 0) return 0;
  const floor = 1e-4;
  let s = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(floor, expected[b]! / te);
    const a = Math.max(floor, actual[b]! / ta);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

async function splitHealth(
  split: ThreeWaySplit,
  names: string[],
  counts: Uint32Array,
  hashes: BigUint64Array,
  leakage: LeakageCandidates,
  d: number,
  src: ByteSource,
  info: ArrayInfo,
): Promise<SplitHealth> {
  const splits = SPLIT_NAMES.map((name) => {
    const rows = split[name].length;
    const positives = positivesOf(split.classes, split.classCounts[name]);
    return { split: name, rows, positives, positiveFraction: rows ? positives / rows : 0 };
  });
  const bins = (s: number, j: number) => counts.subarray((s * d + j) * 11, (s * d + j + 1) * 11);
  const drift: FeatureDrift[] = names.map((feature, j) => ({
    feature,
    psiValidation: psi(bins(0, j), bins(1, j)),
    psiTest: psi(bins(0, j), bins(2, j)),
  }));
  return {
    splits,
    drift,
    leakage: {
      trainingValidation: await sharedRows(split.training, split.validation, leakage.trainingValidation, hashes, src, info),
      trainingTest: await sharedRows(split.training, split.test, leakage.trainingTest, hashes, src, info),
      validationTest: await sharedRows(split.validation, split.test, leakage.validationTest, hashes, src, info),
    },
  };
}

/**
 * Rows of `b` whose raw feature bytes equal some row of `a`: the candidates share a 64-bit row hash
 * (found in WASM); each is confirmed by reading and comparing both rows' bytes from the input.
 */
async function sharedRows(
  a: Uint32Array,
  b: Uint32Array,
  found: { rows: number; keys: BigUint64Array },
  hashes: BigUint64Array,
  src: ByteSource,
  info: ArrayInfo,
): Promise<number> {
  if (found.rows === 0) return 0;
  if (found.keys.length >= MAX_VERIFIED_KEYS || info.fortranOrder) return found.rows;
  const wanted = new Set(found.keys);
  const rowsOfKey = new Map<bigint, number[]>();
  for (const r of a) {
    const k = hashes[r]!;
    if (wanted.has(k)) {
      const list = rowsOfKey.get(k);
      if (list) list.push(r);
      else rowsOfKey.set(k, [r]);
    }
  }
  const rowBytes = info.cols * info.itemSize;
  const readRow = (r: number) => src.read(info.headerBytes + r * rowBytes, rowBytes);
  const sameBytes = (x: Uint8Array, y: Uint8Array) => x.length === y.length && x.every((v, i) => v === y[i]);
  let shared = 0;
  for (const r of b) {
    const others = rowsOfKey.get(hashes[r]!);
    if (!others) continue;
    const mine = await readRow(r);
    for (const other of others) {
      if (sameBytes(mine, await readRow(other))) {
        shared++;
        break;
      }
    }
  }
  return shared;
}

function fittedPreprocessor(settings: PrepareSettings, fits: ColumnFit[]): FittedPreprocessor {
  const scalerKeys = fits.length > 0 ? Object.keys(fits[0]!.scaler) : [];
  const scaler: Record<string, number[]> = {};
  for (const k of scalerKeys) scaler[k] = fits.map((f) => f.scaler[k]!);
  return {
    settings: { clip: settings.clip, impute: settings.impute, scaler: settings.scaler },
    nFeatures: fits.length,
    trainingCount: fits.map((f) => f.count),
    clipLo: fits.map((f) => f.clipLo),
    clipHi: fits.map((f) => f.clipHi),
    impute: fits.map((f) => f.statistic),
    scaler,
    columns: fits.map((f) => f.apply),
  };
}

/** At most 15 lines of Python that rebuild the same transform from preprocessor.json. */
export const SKLEARN_SNIPPET = [
  'import json, numpy as np',
  'p = json.load(open("data/preprocessor.json")); f = lambda a: np.array(a, dtype=np.float64)',
  'def transform(X):',
  '    X = np.asarray(X, dtype=np.float64)',
  '    if p["settings"]["clip"]: X = np.clip(X, f(p["clipLo"]), f(p["clipHi"]))',
  '    if p["settings"]["impute"]["kind"] != "none": X = np.where(np.isnan(X), f(p["impute"]), X)',
  '    s = p["scaler"]; k = p["settings"]["scaler"]',
  '    if k == "robust": X = (X - f(s["center_"])) / f(s["scale_"])',
  '    elif k == "standard": X = (X - f(s["mean_"])) / f(s["scale_"])',
  '    elif k == "minmax": X = X * f(s["scale_"]) + f(s["min_"])',
  '    return X.astype(np.float32)',
  '# Same as clip -> SimpleImputer(keep_empty_features=True) -> RobustScaler/StandardScaler/MinMaxScaler',
  '# fitted on data/training (set the fitted attributes, e.g. RobustScaler().center_ = f(s["center_"])).',
];

function describePreprocessing(s: PrepareSettings): string[] {
  const out: string[] = [];
  if (s.clip) out.push(`Outlier clipping at the ${ordinal(s.clip.lo)} and ${ordinal(s.clip.hi)} training percentiles (np.nanpercentile, linear)`);
  if (s.impute.kind === 'median') out.push('Missing value imputation using the training median');
  if (s.impute.kind === 'mean') out.push('Missing value imputation using the training mean');
  if (s.impute.kind === 'constant') out.push(`Missing value imputation with the constant ${s.impute.value}`);
  if (s.scaler === 'robust') out.push('RobustScaler normalization (quantile range 25-75)');
  if (s.scaler === 'standard') out.push('StandardScaler normalization');
  if (s.scaler === 'minmax') out.push('MinMaxScaler normalization (0-1)');
  if (s.smote) out.push(`SMOTE oversampling of the training split (k_neighbors=${s.smote.k}, sampling_strategy=${s.smote.ratio ?? 'auto'})`);
  return out;
}

function buildMetadata(
  given: unknown,
  featureNames: string[],
  settings: PrepareSettings,
  split: ThreeWaySplit,
  sizes: Record<SplitName, number>,
  fitted: FittedPreprocessor,
  health: SplitHealth,
  inputs: OutputFileInfo[],
  files: OutputFileInfo[],
  warnings: string[],
  smote: SmotePlan | null,
): Record<string, unknown> {
  const g = (given && typeof given === 'object' ? given : {}) as Record<string, unknown>;
  const methodNames = { robust: 'RobustScaler', standard: 'StandardScaler', minmax: 'MinMaxScaler', none: 'none' } as const;
  return {
    ...g,
    n_features: featureNames.length,
    feature_names: featureNames,
    feature_types: g.feature_types ?? {},
    units: g.units ?? {},
    normalization: { method: settings.scaler, description: `Features normalized using ${methodNames[settings.scaler]} fitted on the training split` },
    spatial_info: g.spatial_info ?? {},
    data_source: g.data_source ?? '',
    date_collected: g.date_collected ?? '',
    preprocessing: describePreprocessing(settings),
    n_train_samples: sizes.training,
    n_val_samples: sizes.validation,
    n_test_samples: sizes.test,
    positive_fraction_train: health.splits[0]!.positiveFraction,
    provenance: {
      workbench_version: WORKBENCH_VERSION,
      settings,
      classes: split.classes,
      smote: smote && { ...smote, note: 'training/features.npy holds the original rows, then the synthetic rows; is_synthetic.npy marks them and their indices are -1' },
      splits: health.splits,
      fitted,
      split_health: health,
      inputs,
      // This file cannot contain its own hash; every other output is listed.
      files: [...files],
      warnings,
      sklearn_snippet: SKLEARN_SNIPPET,
    },
  };
}

/** 1 → "1st", 2 → "2nd", 99 → "99th", 2.5 → "2.5th" (for the human-readable preprocessing list). */
export function ordinal(q: number): string {
  if (!Number.isInteger(q)) return `${q}th`;
  const tens = q % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[q % 10] ?? 'th';
  return `${q}${suffix}`;
}
