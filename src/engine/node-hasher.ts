/**
 * SHA-256 of the prepare job's input and output files on a second thread (Node only): node:crypto in a
 * worker_threads Worker (node-hash.worker.mjs), so that hashing ~2 bytes per input byte no longer
 * competes with the transform for the main thread. Input files on disk are read by the worker itself;
 * output bytes are copied into a small pool of buffers that travel to the worker and back (transferred,
 * never cloned), so memory stays at POOL_BUFFERS x PIECE_BYTES whatever the file sizes.
 *
 * Given the compiled kernels, the thread also takes two kernel tasks of the prepare job while it has
 * little to hash (after the input, before the outputs): the leakage count and order-statistic selections.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { HashPool, type HashReply, type ThreadHash } from './hash-pool';

export type { ThreadHash } from './hash-pool';

/** Bytes per buffer handed to the worker. */
const PIECE_BYTES = 8 * 1024 * 1024;
/** Buffers in flight: enough that the main thread rarely waits for the worker, small next to the job. */
const POOL_BUFFERS = 4;

/** tf_leakage's answer: rows of each pair, then distinct keys of each pair; the first `max` keys of each. */
export interface LeakageCounts {
  counts: number[];
  keys: [BigUint64Array, BigUint64Array, BigUint64Array];
}

/** Selected order statistics, and whether the column holds a +0.0 (null: no zero was selected). */
export interface SelectedValues {
  vals: Float64Array;
  positiveZero: boolean | null;
}

type KernelReply = { op: 'kernel'; id: number; result?: unknown; error?: string };

/** A hashing thread with its buffer pool; `close()` ends the thread. */
export class ThreadHasher {
  private readonly worker: Worker;
  private readonly pool: HashPool;
  private readonly tasks = new Map<number, { resolve(r: unknown): void; reject(e: Error): void }>();
  private nextTask = 1;
  private failure: Error | null = null;

  /** `module`: the compiled kernels, for the kernel tasks (without it they fail). */
  constructor(module?: WebAssembly.Module) {
    this.worker = new Worker(new URL('./node-hash.worker.mjs', import.meta.url), { workerData: { module } });
    this.pool = new HashPool((m, transfer) => this.worker.postMessage(m, transfer), PIECE_BYTES, POOL_BUFFERS);
    this.worker.on('message', (m: HashReply | KernelReply) => {
      if (m.op !== 'kernel') return this.pool.onReply(m);
      const task = this.tasks.get(m.id);
      this.tasks.delete(m.id);
      if (m.error !== undefined) task?.reject(new Error(`the hashing thread failed: ${m.error}`));
      else task?.resolve(m.result);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.pool.fail(e);
    for (const t of this.tasks.values()) t.reject(e);
    this.tasks.clear();
  }

  private task<T>(message: Record<string, unknown>, transfer: ArrayBuffer[]): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextTask++;
    return new Promise<T>((resolve, reject) => {
      this.tasks.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.worker.postMessage({ op: 'kernel', id, ...message }, transfer);
    });
  }

  /** tf_leakage on the thread; `hashes` (u64 per row) and `dest` (u32 per row) are transferred. */
  async leakage(hashes: BigUint64Array, dest: Uint32Array, b1: number, b2: number, max: number): Promise<LeakageCounts> {
    const h = hashes.buffer as ArrayBuffer;
    const d = dest.buffer as ArrayBuffer;
    const r = await this.task<{ counts: number[]; keys: ArrayBuffer[] }>({ task: 'leakage', hashes: h, dest: d, n: dest.length, b1, b2, max }, [h, d]);
    return { counts: r.counts, keys: r.keys.map((b) => new BigUint64Array(b)) as LeakageCounts['keys'] };
  }

  /** tf_select_ranks_f32 on the thread: `values` (the column's non-NaN float32 values) is transferred; `ranks` sorted. */
  select(values: Float32Array, ranks: number[]): Promise<SelectedValues> {
    const v = values.buffer as ArrayBuffer;
    return this.task<SelectedValues>({ task: 'select', values: v, m: values.length, ranks }, [v]);
  }

  /** A new incremental hash. */
  open(): ThreadHash {
    return this.pool.open();
  }

  /** Starts hashing a whole file on disk (read by the hashing thread); resolves to its hex digest. */
  hashFile(path: string): Promise<string> {
    const id = this.pool.newId();
    this.pool.send({ op: 'file', id, path });
    return this.pool.digest(id);
  }

  /** Ends the thread; hashes still pending (a job that failed half way) reject. */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.fail(new Error('the hashing thread was closed'));
    await this.worker.terminate();
  }
}

/**
 * A file opened for positional reads straight into a given buffer (e.g. a view of WASM memory), so a
 * window is copied once, from the page cache. Lives here so that prepare.ts loads Node-only code with a
 * single dynamic import.
 */
export async function openFileReader(path: string): Promise<{ readInto(offset: number, target: Uint8Array): Promise<number>; close(): Promise<void> }> {
  const handle = await open(path, 'r');
  return {
    async readInto(offset, target) {
      let got = 0;
      while (got < target.byteLength) {
        const { bytesRead } = await handle.read(target, got, target.byteLength - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
    close: () => handle.close(),
  };
}
