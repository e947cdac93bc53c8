/**
 * The prepare job's leakage count (rows shared between splits by row hash, assembly/transform.ts
 * tf_leakage) on a second thread (Node only): started ahead of the job (preloadPrepare) or with the fit,
 * handed copies of the row hashes and output rows after the fit's first pass, it counts while the main
 * thread selects; then it selects order statistics of columns the fit hands over (select()). The thread
 * ends once it has answered the count and the fit has released it (release()), so that its memory is
 * gone before the apply allocates.
 */
import { Worker } from 'node:worker_threads';
import { ThreadPings } from './thread-pings';

export interface LeakageCounts {
  /** Rows of validation with a training key, of test with a training key, of test with a validation key; then the distinct keys of each. */
  counts: number[];
  /** The first `max` shared keys of each pair (ascending). */
  keys: [BigUint64Array, BigUint64Array, BigUint64Array];
}

/** A selection made on the thread: values at the asked ranks, and whether the column holds a +0.0. */
export interface Selected {
  vals: number[];
  positiveZero: boolean;
  /** The buffer the values came in, handed back for the next column. */
  values: ArrayBuffer;
}

interface SelectReply {
  op: 'selected';
  id: number;
  vals?: number[];
  positiveZero?: boolean;
  error?: string;
  values: ArrayBuffer;
}

export class LeakageThread {
  private readonly worker: Worker;
  private readonly result: Promise<LeakageCounts>;
  private resolve!: (r: LeakageCounts) => void;
  private reject!: (e: Error) => void;

  private failed = false;
  private readonly exited: Promise<void>;
  private answered = false;
  private released = false;
  private readonly selections = new Map<number, { resolve: (r: Selected) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly pings: ThreadPings;

  private constructor(readonly module: WebAssembly.Module) {
    this.result = new Promise<LeakageCounts>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.result.catch(() => {
      this.failed = true;
    }); // awaited by count(); a failure before that must not be unhandled
    // Plain JavaScript: started without the parent's loader (tsx costs ~50 ms per thread).
    this.worker = new Worker(new URL('./leakage-worker.mjs', import.meta.url), { workerData: { module }, execArgv: [] });
    this.pings = new ThreadPings(this.worker);
    this.worker.on('message', (m: { counts: number[]; keys: ArrayBuffer[] } | { error: string } | SelectReply | { op: 'pong' }) => {
      if ('op' in m && m.op === 'pong') return this.pings.pong();
      if ('op' in m) {
        const waiter = this.selections.get(m.id);
        this.selections.delete(m.id);
        if (m.error !== undefined) waiter?.reject(new Error(`the selection thread failed: ${m.error}`));
        else waiter?.resolve({ vals: m.vals!, positiveZero: m.positiveZero!, values: m.values });
        return;
      }
      if ('error' in m) this.reject(new Error(`the leakage thread failed: ${m.error}`));
      else this.resolve({ counts: m.counts, keys: m.keys.map((b) => new BigUint64Array(b)) as LeakageCounts['keys'] });
      this.answered = true;
      if (this.released) void this.worker.terminate();
    });
    this.worker.on('error', (e) => this.fail(new Error(`the leakage thread failed: ${e.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the leakage thread stopped (exit code ${code})`)));
    this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
  }

  /** Starts the thread on the compiled kernels (it loads while the caller goes on). */
  static start(module: WebAssembly.Module): LeakageThread {
    return new LeakageThread(module);
  }

  /** False once the thread has failed, stopped or been closed. */
  get healthy(): boolean {
    return !this.failed;
  }

  /** Whether the thread keeps the process alive (a spare started ahead of a job must not). */
  keepAlive(yes: boolean): void {
    this.pings.keepAlive(yes);
  }

  /** Resolves once the thread is up and answering (its kernels instantiated), or has failed. */
  ready(): Promise<void> {
    return this.failed ? Promise.resolve() : this.pings.ping();
  }

  /** The thread is gone: the count and any selection still awaited reject. */
  private fail(e: Error): void {
    this.failed = true;
    this.pings.wakeAll();
    this.reject(e);
    for (const w of this.selections.values()) w.reject(e);
    this.selections.clear();
  }

  /**
   * Order statistics of `m` NaN-free float32 values at `ranks` (ascending, distinct) on the thread, as
   * preprocess.ts select() (the values' buffer is transferred, and handed back in the answer). The thread answers in the order asked (a count
   * asked earlier comes first), until release().
   */
  select(values: Float32Array, m: number, ranks: number[]): Promise<Selected> {
    if (this.failed) return Promise.reject(new Error('the leakage thread has stopped'));
    const id = this.nextId++;
    const p = new Promise<Selected>((resolve, reject) => this.selections.set(id, { resolve, reject }));
    const buffer = values.buffer as ArrayBuffer;
    this.worker.postMessage({ op: 'select', id, values: buffer, m, ranks }, [buffer]);
    return p;
  }

  /**
   * Hands buffers over to the thread only to be dropped with it: their memory is then freed when the
   * thread ends, rather than whenever this thread's garbage collector gets to them.
   */
  discard(buffers: ArrayBuffer[]): void {
    if (this.failed || buffers.length === 0) return;
    this.worker.postMessage({ op: 'discard' }, buffers);
  }

  /** Counts on the thread; `hashes` and `dest` are transferred (the caller gives up these copies). */
  count(hashes: BigUint64Array, dest: Uint32Array, b1: number, b2: number, max: number): Promise<LeakageCounts> {
    const h = hashes.buffer as ArrayBuffer;
    const d = dest.buffer as ArrayBuffer;
    this.worker.postMessage({ hashes: h, dest: d, n: dest.length, b1, b2, max }, [h, d]);
    return this.result;
  }

  /**
   * No more selections will be asked: the thread ends once it has answered the count (at once if it
   * has), so that its memory is gone before the job's next big allocation.
   */
  release(): void {
    this.released = true;
    if (this.answered) void this.worker.terminate();
  }

  /** Resolves once the thread has stopped (after release() and its answer, or a failure). */
  ended(): Promise<void> {
    return this.exited;
  }

  /** Ends the thread (a job that failed before asking). */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.fail(new Error('the leakage thread was closed'));
    await this.worker.terminate();
  }
}
