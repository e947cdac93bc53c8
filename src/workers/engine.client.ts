/**
 * The one place the page talks to the engine worker. `EngineClient` presents the engine's calls with
 * JobOptions (onProgress + AbortSignal) over comlink:
 *  - progress is a `comlink.proxy` callback (the worker releases it when the job ends);
 *  - an abort calls `cancel(jobId)` in the worker, whose engine stops between windows; if the worker has
 *    not settled the job within `cancelGraceMs` (a WASM call that cannot be interrupted), the worker is
 *    terminated and a fresh one is started lazily by the next call;
 *  - no promise is left hanging: when a worker is terminated or fails, every call pending on it rejects
 *    (AbortError for a termination, a WorkbenchError for a failure);
 *  - errors arrive intact (code, message, file) thanks to ./transfer.
 * Inputs go as `File`s inside InputRefs (structured clone: no bulk copy); results are plain objects.
 */
import { proxy, releaseProxy, wrap, type Endpoint, type Remote } from 'comlink';
import './transfer';
import type { ChunkSink, EngineHostApi, PrepareJob, PreparedOutput } from './engine.host';
import type { EngineInfo } from './engine.api';
import type { InputRef } from '../core/input';
import type { ArrayInfo } from '../core/npy';
import type { JobOptions, ProgressFn } from '../core/progress';
import type { QualityReport, ReportRequest } from '../core/report-types';
import { WorkbenchError, abortError } from '../core/errors';

/** What the client needs from a Worker (a fake over a MessageChannel in tests). */
export interface WorkerLike extends Endpoint {
  terminate(): void;
}

export interface EngineClientOptions {
  /** How long a cancelled job may take to stop before its worker is terminated (ms). */
  cancelGraceMs?: number;
}

/** Default grace period between an abort and terminating the worker. */
export const CANCEL_GRACE_MS = 1000;

interface Connection {
  worker: WorkerLike;
  remote: Remote<EngineHostApi>;
  /** Rejecters of every call pending on this worker. */
  pending: Set<(reason: unknown) => void>;
}

/** The engine as the page sees it. */
export class EngineClient {
  private connection?: Connection;
  private nextJobId = 1;
  private readonly cancelGraceMs: number;
  /** How many workers were started (tests check that a stuck job got a fresh worker). */
  workersStarted = 0;

  constructor(
    private readonly makeWorker: () => WorkerLike,
    options: EngineClientOptions = {},
  ) {
    this.cancelGraceMs = options.cancelGraceMs ?? CANCEL_GRACE_MS;
  }

  /** Engine version and the WASM flavour it picked. */
  info(): Promise<EngineInfo> {
    return this.call((r) => r.info());
  }

  /** Header facts: one entry for a `.npy`, one per array for a `.npz`. */
  inspect(ref: InputRef): Promise<ArrayInfo[]> {
    return this.call((r) => r.inspect(ref));
  }

  /** The data-quality report. */
  report(req: ReportRequest, opts?: JobOptions): Promise<QualityReport> {
    return this.job(opts, (r, id, p) => r.report(id, req, p));
  }

  /** Prepares the splits into browser storage (OPFS `prepared/`); resolves with where they are and the result. */
  prepare(req: PrepareJob, opts?: JobOptions): Promise<PreparedOutput> {
    return this.job(opts, (r, id, p) => r.prepare(id, req, p));
  }

  /** Hex SHA-256 of an input. */
  sha256(ref: InputRef, opts?: JobOptions): Promise<string> {
    return this.job(opts, (r, id, p) => r.sha256(id, ref, p));
  }

  /**
   * Streams a prepared layout as a `.zip` built in the worker; `onChunk` receives its bytes in order
   * (transferred) and is awaited before the next chunk is made.
   */
  exportZip(prepared: Pick<PreparedOutput, 'root' | 'files'>, onChunk: ChunkSink, opts?: JobOptions): Promise<void> {
    // Plain copies: the caller's objects may be store proxies, which cannot be posted.
    const plain = { root: prepared.root, files: prepared.files.map((f) => ({ path: f.path, size: f.size })) };
    return this.job(opts, (r, id, p) => r.exportZip(id, plain, proxy(onChunk), p));
  }

  /** The last prepared layout kept in browser storage, or null. */
  loadPrepared(): Promise<PreparedOutput | null> {
    return this.call((r) => r.loadPrepared());
  }

  /** Deletes the prepared layouts kept in browser storage. */
  clearPrepared(): Promise<void> {
    return this.call((r) => r.clearPrepared());
  }

  /** Stops the worker now; every pending call rejects with an AbortError. */
  terminate(): void {
    if (this.connection) this.kill(this.connection, abortError('The engine call'));
  }

  private connect(): Connection {
    if (this.connection) return this.connection;
    const worker = this.makeWorker();
    this.workersStarted++;
    const conn: Connection = { worker, remote: wrap<EngineHostApi>(worker), pending: new Set() };
    const fail = (what: string) => (ev: Event) => {
      ev.preventDefault?.();
      const detail = (ev as ErrorEvent).message;
      this.kill(
        conn,
        new WorkbenchError('INTERNAL', `The engine worker ${what}${detail ? `: ${detail}` : ''}; it will be restarted.`),
      );
    };
    worker.addEventListener('error', fail('stopped') as EventListener);
    worker.addEventListener('messageerror', fail('sent a message that could not be read') as EventListener);
    this.connection = conn;
    return conn;
  }

  /** Terminates a worker and rejects everything pending on it; the next call starts a fresh one. */
  private kill(conn: Connection, reason: unknown): void {
    if (this.connection === conn) this.connection = undefined;
    try {
      conn.remote[releaseProxy]();
    } catch {
      // Already released.
    }
    conn.worker.terminate();
    const rejecters = [...conn.pending];
    conn.pending.clear();
    for (const reject of rejecters) reject(reason);
  }

  /** A short call: tracked so that it rejects if the worker dies. */
  private call<T>(start: (remote: Remote<EngineHostApi>) => Promise<T>): Promise<T> {
    const conn = this.connect();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const die = (reason: unknown) => {
        if (settled) return;
        settled = true;
        reject(reason);
      };
      conn.pending.add(die);
      start(conn.remote).then(
        (v) => {
          if (settled) return;
          settled = true;
          conn.pending.delete(die);
          resolve(v);
        },
        (e) => {
          if (settled) return;
          settled = true;
          conn.pending.delete(die);
          reject(e);
        },
      );
    });
  }

  /** A long call with progress and cancellation (see the module comment). */
  private job<T>(
    opts: JobOptions | undefined,
    start: (remote: Remote<EngineHostApi>, jobId: number, onProgress?: ProgressFn) => Promise<T>,
  ): Promise<T> {
    const signal = opts?.signal;
    if (signal?.aborted) return Promise.reject(abortError());
    const conn = this.connect();
    const jobId = this.nextJobId++;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      const finish = () => {
        settled = true;
        conn.pending.delete(die);
        signal?.removeEventListener('abort', onAbort);
        if (killTimer !== undefined) clearTimeout(killTimer);
      };
      const die = (reason: unknown) => {
        if (settled) return;
        finish();
        reject(signal?.aborted ? abortError() : reason);
      };
      const onAbort = () => {
        conn.remote.cancel(jobId).catch(() => {});
        killTimer = setTimeout(() => {
          if (!settled) this.kill(conn, abortError());
        }, this.cancelGraceMs);
      };
      conn.pending.add(die);
      signal?.addEventListener('abort', onAbort, { once: true });
      const progress = opts?.onProgress ? proxy(opts.onProgress) : undefined;
      start(conn.remote, jobId, progress).then(
        (v) => {
          if (settled) return;
          finish();
          // A result that raced the cancel is dropped: the caller asked to stop.
          if (signal?.aborted) reject(abortError());
          else resolve(v);
        },
        (e) => {
          if (settled) return;
          finish();
          reject(signal?.aborted ? abortError() : e);
        },
      );
    });
  }
}

let pageEngine: EngineClient | undefined;

/** The page's engine (one module worker, started on first use). */
export function getEngine(): EngineClient {
  pageEngine ??= new EngineClient(
    () => new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }),
  );
  return pageEngine;
}
