/**
 * SHA-256 of the prepare job's input and output files on a second thread in the page: a module worker
 * (src/workers/hash.worker.ts, WASM kernel) started from inside the engine worker, the browser analogue
 * of node-hasher.ts. Bytes (input windows as the engine reads them, output windows, often views of WASM
 * memory) are copied into a small pool of buffers that travel to the worker and back (transferred, never
 * cloned), so memory stays at POOL_BUFFERS x PIECE_BYTES whatever the file sizes. Unlike Node's thread,
 * the worker does not read input Files itself: in Chromium a File read goes through the browser
 * process, and a second read of the input (1M x 50 float32) made the job ~0.2 s slower than handing
 * over the bytes the engine had already read.
 */
import { HashPool, type HashReply, type ThreadHash } from './hash-pool';

/** Bytes per buffer handed to the worker (the kernel's window size, so each is one WASM call). */
const PIECE_BYTES = 4 * 1024 * 1024;
/** Buffers in flight: enough that the engine rarely waits for the worker, small next to the job. */
const POOL_BUFFERS = 4;
/** How long the worker may take to load and instantiate its kernel before the engine hashes itself. */
const START_TIMEOUT_MS = 10_000;

type Reply = { op: 'ready' } | { op: 'failed'; message: string } | HashReply;

/** A hashing worker with its buffer pool; `close()` ends it. */
export class BrowserHasher {
  private readonly pool: HashPool;
  /** Bytes per piece handed over: writers that block the thread write in pieces of this size. */
  readonly pieceBytes = PIECE_BYTES;

  private constructor(private readonly worker: Worker) {
    this.pool = new HashPool((m, transfer) => worker.postMessage(m, transfer ?? []), PIECE_BYTES, POOL_BUFFERS);
    worker.onmessage = ({ data: m }: MessageEvent<Reply>) => {
      if (m.op === 'returned' || m.op === 'digest' || m.op === 'error') this.pool.onReply(m);
    };
    worker.onerror = (e) => this.pool.fail(new Error(`the hashing worker failed: ${e.message || 'unknown error'}`));
  }

  /** Starts the hashing worker; rejects if `Worker` is missing here or the worker does not come up. */
  static async start(): Promise<BrowserHasher> {
    if (typeof Worker === 'undefined') throw new Error('no Worker in this context');
    const worker = new Worker(new URL('../workers/hash.worker.ts', import.meta.url), { type: 'module', name: 'hash' });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the hashing worker did not start in time')), START_TIMEOUT_MS);
        worker.onmessage = ({ data: m }: MessageEvent<Reply>) => {
          clearTimeout(timer);
          if (m.op === 'ready') resolve();
          else reject(new Error(`the hashing worker failed to start: ${m.op === 'failed' ? m.message : m.op}`));
        };
        worker.onerror = (e) => {
          clearTimeout(timer);
          e.preventDefault();
          reject(new Error(`the hashing worker failed to load: ${e.message || 'unknown error'}`));
        };
      });
    } catch (e) {
      worker.terminate();
      throw e;
    }
    return new BrowserHasher(worker);
  }

  /** A new incremental hash. */
  open(): ThreadHash {
    return this.pool.open();
  }

  /** Ends the worker; hashes still pending (a job that failed half way) reject. */
  async close(): Promise<void> {
    this.pool.fail(new Error('the hashing worker was closed'));
    this.worker.terminate();
  }
}
