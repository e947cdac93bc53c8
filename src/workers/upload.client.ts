/**
 * The one place the page talks to the upload worker. The upload (hashing, multipart PUTs, HeadObject
 * verification) runs in that worker so the page stays responsive. An AbortSignal cannot cross
 * postMessage, so a cancel calls `cancel(jobId)` in the worker, which aborts that job's uploads (lib-storage
 * aborts the multipart upload); the worker releases the callback proxies when the job ends. If the worker dies, every pending upload rejects — no promise hangs.
 */
import { proxy, wrap, type Remote } from 'comlink';
import './transfer';
import { WorkbenchError, abortError } from '../core/errors';
import type { ConnectionSnapshot } from '../ui/s3/connection/store';
import type { ConflictDecision, FileStatus, PreparedLayout, UploadChoices, UploadConflict, UploadHostApi, UploadSource, UploadSummary } from '../ui/s3/upload/upload-types';

export interface UploadOptions extends UploadChoices {
  onUpdate?: (files: FileStatus[]) => void;
  /** Asked (one at a time) before an existing object with other content is overwritten; without it nothing is. */
  confirmOverwrite?: (conflict: UploadConflict) => Promise<ConflictDecision>;
  signal?: AbortSignal;
}

/** Uploads through a lazily started module worker. */
export class UploadClient {
  private worker?: Worker;
  private remote?: Remote<UploadHostApi>;
  private readonly pending = new Set<(reason: unknown) => void>();
  private nextJobId = 1;

  constructor(private readonly makeWorker: () => Worker = defaultWorker) {}

  /** Uploads `source` to the connection's bucket; rejects with an AbortError when `signal` aborts. */
  async upload(connection: ConnectionSnapshot, source: UploadSource, options: UploadOptions = {}): Promise<UploadSummary> {
    const remote = this.connect();
    const jobId = this.nextJobId++;
    const onUpdate = proxy((files: FileStatus[]) => options.onUpdate?.(files));
    // Without a handler nothing is overwritten: the safe answer.
    const confirm = proxy(async (conflict: UploadConflict): Promise<ConflictDecision> =>
      options.confirmOverwrite ? options.confirmOverwrite(conflict) : { overwrite: false, forAll: true },
    );
    const onAbort = () => void remote.cancel(jobId);
    if (options.signal?.aborted) throw abortError('The upload');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await new Promise<UploadSummary>((resolve, reject) => {
        this.pending.add(reject);
        remote.upload(jobId, connection, source, { verifyByDownload: options.verifyByDownload ?? false }, onUpdate, confirm).then(resolve, reject).finally(() => this.pending.delete(reject));
      });
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** The last prepared layout in browser storage, or null. */
  async preparedLayout(): Promise<PreparedLayout | null> {
    return this.connect().preparedLayout();
  }

  /** Stops the worker; pending uploads reject with an AbortError. */
  terminate(): void {
    this.kill(abortError('The upload'));
  }

  private connect(): Remote<UploadHostApi> {
    if (this.remote) return this.remote;
    const worker = this.makeWorker();
    worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.kill(new WorkbenchError('INTERNAL', `The upload worker stopped${ev.message ? `: ${ev.message}` : ''}; start the upload again (finished files are skipped).`));
    });
    this.worker = worker;
    this.remote = wrap<UploadHostApi>(worker);
    return this.remote;
  }

  private kill(reason: unknown): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
    const rejecters = [...this.pending];
    this.pending.clear();
    for (const reject of rejecters) reject(reason);
  }
}

function defaultWorker(): Worker {
  return new Worker(new URL('./upload.worker.ts', import.meta.url), { type: 'module', name: 'upload' });
}

let shared: UploadClient | undefined;

/** The page's upload client (one worker for the page). */
export function uploadClient(): UploadClient {
  return (shared ??= new UploadClient());
}
