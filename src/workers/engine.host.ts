/**
 * The worker side of the engine: the in-thread engine (`makeEngine()`) behind a message-friendly API.
 * AbortSignals and OutputSinks cannot cross postMessage, so each long call takes a `jobId` (the page
 * cancels with `cancel(jobId)`, which aborts that job's own AbortController; the engine checks it
 * between windows), progress arrives as a comlink-proxied callback (released when the job ends), and
 * `prepare` writes into a sink the host builds itself (OPFS in the page's worker, see opfs-sink.ts).
 * engine.worker.ts only exposes this object; tests call it in-thread through a MessageChannel.
 */
import { releaseProxy, transfer, type Remote } from 'comlink';
import type { EngineApi, EngineInfo } from './engine.api';
import type { InputRef } from '../core/input';
import type { ArrayInfo } from '../core/npy';
import { throttleProgress, type Progress, type ProgressFn } from '../core/progress';
import type { QualityReport, ReportRequest } from '../core/report-types';
import type { PrepareRequest, PrepareResult } from '../core/prepare-types';
import type { OutputSink } from '../core/sink';
import { abortError } from '../core/errors';
import { writeLayoutZip } from './zip-export';

/** A prepare request as the page sends it: everything but the sink, which the worker creates. */
export type PrepareJob = Omit<PrepareRequest, 'out'>;

/** A file of a prepared layout in storage. */
export interface StoredFile {
  /** `/`-separated, relative to the layout root, e.g. `data/training/features.npy`. */
  path: string;
  size: number;
}

/** The last prepared layout kept in browser storage (OPFS), with the result that describes it. */
export interface PreparedOutput {
  /** Storage folder holding `data/...` (for OPFS: a path below the origin's root directory). */
  root: string;
  files: StoredFile[];
  result: PrepareResult;
  /** ISO time the run finished. */
  savedAt: string;
}

/** Where the worker keeps prepared layouts (OPFS in the page; memory in tests). */
export interface PreparedStore {
  /** Opens a fresh staging area for one run; the previous result stays until `commit`. */
  begin(): Promise<PreparedStaging>;
  /** The last committed layout, or null. */
  load(): Promise<PreparedOutput | null>;
  /** Removes every stored layout. */
  clear(): Promise<void>;
  /** One file of a stored layout (`root` from a PreparedOutput), read lazily. */
  openFile(root: string, path: string): Promise<Blob>;
}

export interface PreparedStaging {
  sink: OutputSink;
  /** Makes this run the current layout (and drops older ones). */
  commit(result: PrepareResult): Promise<PreparedOutput>;
  /** Drops this run's files (cancel, failure). */
  discard(): Promise<void>;
}

/** Progress callback as it arrives from the page (a comlink proxy, or a plain function in tests). */
type RemoteProgress = ProgressFn | Remote<ProgressFn>;

/** The API engine.worker.ts exposes; engine.client.ts is its only caller in the page. */
export interface EngineHostApi {
  info(): Promise<EngineInfo>;
  inspect(ref: InputRef): Promise<ArrayInfo[]>;
  report(jobId: number, req: ReportRequest, onProgress?: RemoteProgress): Promise<QualityReport>;
  prepare(jobId: number, req: PrepareJob, onProgress?: RemoteProgress): Promise<PreparedOutput>;
  sha256(jobId: number, ref: InputRef, onProgress?: RemoteProgress): Promise<string>;
  /** Aborts a running job (no-op for an unknown or finished job). */
  cancel(jobId: number): void;
  /** The last prepared layout in storage, or null (a reload shows it as the last result). */
  loadPrepared(): Promise<PreparedOutput | null>;
  /** Deletes the stored prepared layouts. */
  clearPrepared(): Promise<void>;
  /**
   * Streams a stored layout as a `.zip` into `onChunk`, one transferred chunk at a time (each awaited:
   * the page's write is the back-pressure). CRC-32 and zip framing run here, not on the UI thread.
   */
  exportZip(
    jobId: number,
    prepared: Pick<PreparedOutput, 'root' | 'files'>,
    onChunk: ChunkSink | Remote<ChunkSink>,
    onProgress?: RemoteProgress,
  ): Promise<void>;
}

/** Receives the bytes of an export in order. */
export type ChunkSink = (chunk: Uint8Array) => Promise<void>;

const MiB = 1024 * 1024;

/**
 * The prepare job's working memory in the page, from `navigator.deviceMemory` (GiB, rounded down to a
 * power of two, at most 8 in Chromium; absent in Firefox and Safari). Each pass over the input costs a
 * full read of the File (~0.3-0.6 GB/s from a worker), so a larger budget means fewer passes: 1 GiB
 * (8 GiB devices) prepares 4M x 50 float32 in one fit and one apply pass, where 512 MiB needs two of
 * each. WASM memory stays below its 4 GiB limit either way; smaller devices get smaller budgets.
 */
export function pagePrepareMemoryBytes(deviceMemoryGiB: number | undefined): number {
  if (deviceMemoryGiB === undefined || !Number.isFinite(deviceMemoryGiB)) return 512 * MiB;
  if (deviceMemoryGiB >= 8) return 1024 * MiB;
  if (deviceMemoryGiB >= 4) return 512 * MiB;
  return 256 * MiB;
}

/** Builds the worker-side host around an engine and a store for prepared layouts. */
export function makeEngineHost(engine: EngineApi, store: PreparedStore): EngineHostApi {
  const jobs = new Map<number, AbortController>();

  /** Runs one job with its own AbortController and a throttled, released progress callback. */
  async function runJob<T>(
    jobId: number,
    onProgress: RemoteProgress | undefined,
    body: (opts: { signal: AbortSignal; onProgress: ProgressFn }) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    // Registered synchronously: the page posts a job's cancel after its start on the same port, so a
    // cancel always finds its job here (or finds it already finished, which is a no-op).
    jobs.set(jobId, controller);
    const report = throttleProgress(
      onProgress
        ? (p: Progress) => {
            // Fire and forget: a page that went away must not fail the job.
            void Promise.resolve((onProgress as ProgressFn)(p)).catch(() => {});
          }
        : undefined,
    );
    try {
      return await body({ signal: controller.signal, onProgress: report });
    } finally {
      jobs.delete(jobId);
      const release = onProgress && (onProgress as Remote<ProgressFn>)[releaseProxy];
      if (typeof release === 'function') release.call(onProgress);
    }
  }

  return {
    info: () => engine.info(),
    inspect: (ref) => engine.inspect(ref),
    report: (jobId, req, onProgress) => runJob(jobId, onProgress, (opts) => engine.report(req, opts)),
    sha256: (jobId, ref, onProgress) => runJob(jobId, onProgress, (opts) => engine.sha256(ref, opts)),
    prepare: (jobId, req, onProgress) =>
      runJob(jobId, onProgress, async (opts) => {
        const staging = await store.begin();
        try {
          const result = await engine.prepare({ ...req, out: staging.sink } as PrepareRequest, opts);
          return await staging.commit(result);
        } catch (e) {
          await staging.discard().catch(() => {});
          throw e;
        }
      }),
    cancel(jobId) {
      jobs.get(jobId)?.abort(abortError());
    },
    loadPrepared: () => store.load(),
    clearPrepared: () => store.clear(),
    exportZip: (jobId, prepared, onChunk, onProgress) =>
      runJob(jobId, onProgress, async (opts) => {
        try {
          await writeLayoutZip(
            prepared.files,
            (path) => store.openFile(prepared.root, path),
            async (chunk) => {
              // Transfer, never copy: a chunk that is a view into a larger buffer is copied out first.
              const owned = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : chunk.slice();
              await (onChunk as ChunkSink)(transfer(owned, [owned.buffer as ArrayBuffer]));
            },
            opts,
          );
        } finally {
          const release = (onChunk as Remote<ChunkSink>)[releaseProxy];
          if (typeof release === 'function') release.call(onChunk);
        }
      }),
  };
}
