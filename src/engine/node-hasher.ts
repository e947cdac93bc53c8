/**
 * SHA-256 of the prepare job's input and output files on a second thread (Node only): node:crypto in a
 * worker_threads Worker (node-hash.worker.mjs), so that hashing ~2 bytes per input byte no longer
 * competes with the transform for the main thread. Input files on disk are read by the worker itself;
 * output bytes are copied into a small pool of buffers that travel to the worker and back (transferred,
 * never cloned), so memory stays at POOL_BUFFERS x PIECE_BYTES whatever the file sizes.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { ThreadPings } from './thread-pings';
import { HashPool, type HashReply, type ThreadHash } from './hash-pool';

export type { ThreadHash } from './hash-pool';

/**
 * Bytes per buffer handed to the worker. Small: each buffer's pages are touched for the first time
 * inside the job (~0.4 s per GB on a VM), and 2 MiB pieces hashed as fast as 8 MiB ones.
 */
const PIECE_BYTES = 2 * 1024 * 1024;
/** Buffers in flight: enough that the main thread rarely waits for the worker, small next to the job. */
const POOL_BUFFERS = 4;

/** What the hashing thread needs to hash the rows of a float32 .npy as it reads it. */
export interface RowHashRequest {
  /** The compiled kernels (for tf_row_hashes_raw). */
  module: WebAssembly.Module;
  headerBytes: number;
  rowBytes: number;
  n: number;
}

/** The hashing thread's answer to a ping. */
interface Pong {
  op: 'pong';
}

interface RowsReply {
  op: 'rows';
  id: number;
  hashes?: ArrayBuffer;
  error?: string;
}

/** A hashing thread with its buffer pool; `close()` ends the thread. */
export class ThreadHasher {
  private readonly worker: Worker;
  private readonly pool: HashPool;
  private readonly rowWaiters = new Map<number, { resolve: (h: BigUint64Array) => void; reject: (e: Error) => void }>();
  private readonly pings: ThreadPings;

  constructor() {
    // Plain JavaScript: started without the parent's loader (tsx costs ~50 ms per thread).
    this.worker = new Worker(new URL('./node-hash.worker.mjs', import.meta.url), { execArgv: [] });
    this.pings = new ThreadPings(this.worker);
    this.pool = new HashPool((m, transfer) => this.worker.postMessage(m, transfer), PIECE_BYTES, POOL_BUFFERS);
    this.worker.on('message', (m: HashReply | RowsReply | Pong) => {
      if (m.op === 'pong') return this.pings.pong();
      if (m.op !== 'rows') return this.pool.onReply(m);
      const waiter = this.rowWaiters.get(m.id);
      this.rowWaiters.delete(m.id);
      if (m.hashes) waiter?.resolve(new BigUint64Array(m.hashes));
      else waiter?.reject(new Error(`row hashes failed: ${m.error}`));
    });
    this.worker.on('error', (e) => {
      this.failRows(e);
      this.pool.fail(e);
    });
    this.worker.on('exit', (code) => {
      const e = new Error(`the hashing thread stopped (exit code ${code})`);
      this.failRows(e);
      this.pool.fail(e);
    });
  }

  /** Resolves once the thread is up and answering (or has failed: a job then finds it unhealthy). */
  ready(): Promise<void> {
    return this.healthy ? this.pings.ping() : Promise.resolve();
  }

  private failRows(e: Error): void {
    for (const w of this.rowWaiters.values()) w.reject(e);
    this.rowWaiters.clear();
    this.pings.wakeAll();
  }

  /** False once the thread has stopped (or was closed): a job must start another. */
  get healthy(): boolean {
    return this.pool.healthy;
  }

  /** Whether the idle thread keeps the process alive (a spare started ahead of a job must not). */
  keepAlive(yes: boolean): void {
    this.pings.keepAlive(yes);
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

  /**
   * hashFile for a little-endian float32 C-order .npy that also computes every row's 64-bit hash on the
   * hashing thread (the kernels' tf_row_hashes_raw, as the fit would), from the same single read.
   */
  hashFileAndRows(path: string, rows: RowHashRequest): { digest: Promise<string>; rows: Promise<BigUint64Array> } {
    const id = this.pool.newId();
    const hashes = new Promise<BigUint64Array>((resolve, reject) => this.rowWaiters.set(id, { resolve, reject }));
    this.pool.send({ op: 'file', id, path, rows });
    return { digest: this.pool.digest(id), rows: hashes };
  }

  /** Ends the thread; hashes still pending (a job that failed half way) reject. */
  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    this.failRows(new Error('the hashing thread was closed'));
    this.pool.fail(new Error('the hashing thread was closed'));
    await this.worker.terminate();
  }
}

/**
 * Touches every page of `target` (e.g. a WASM buffer not yet used by this job) by reading /dev/zero into
 * it on libuv's threads: the first-touch cost of fresh memory (page faults and zeroing, ~0.4 s per GB on
 * a VM whose host backs pages on first use) is then paid on another core instead of by the kernels.
 * Resolves false where /dev/zero is missing; the bytes end up zero either way.
 */
export async function prefault(target: Uint8Array): Promise<boolean> {
  let handle;
  try {
    handle = await open('/dev/zero', 'r');
  } catch {
    return false;
  }
  try {
    const piece = 4 * 1024 * 1024;
    for (let at = 0; at < target.byteLength; at += piece) {
      await handle.read(target, at, Math.min(piece, target.byteLength - at), null);
    }
    return true;
  } finally {
    await handle.close();
  }
}
