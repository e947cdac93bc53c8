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
import type { ThreadHash } from './node-hasher';

/** Bytes per buffer handed to the worker (the kernel's window size, so each is one WASM call). */
const PIECE_BYTES = 4 * 1024 * 1024;
/** Buffers in flight: enough that the engine rarely waits for the worker, small next to the job. */
const POOL_BUFFERS = 4;
/** How long the worker may take to load and instantiate its kernel before the engine hashes itself. */
const START_TIMEOUT_MS = 10_000;

type Reply =
  | { op: 'ready' }
  | { op: 'failed'; message: string }
  | { op: 'returned'; bytes: ArrayBuffer }
  | { op: 'digest'; id: number; hex: string }
  | { op: 'error'; id: number; message: string };

/** A hashing worker with its buffer pool; `close()` ends it. */
export class BrowserHasher {
  private readonly free: ArrayBuffer[] = [];
  private readonly waitingForBuffer: Array<() => void> = [];
  private readonly digests = new Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Bytes per piece handed over: writers that block the thread write in pieces of this size. */
  readonly pieceBytes = PIECE_BYTES;
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    for (let i = 0; i < POOL_BUFFERS; i++) this.free.push(new ArrayBuffer(PIECE_BYTES));
    worker.onmessage = ({ data: m }: MessageEvent<Reply>) => {
      if (m.op === 'returned') {
        this.free.push(m.bytes);
        this.waitingForBuffer.shift()?.();
      } else if (m.op === 'digest' || m.op === 'error') {
        const waiter = this.digests.get(m.id);
        this.digests.delete(m.id);
        if (m.op === 'digest') waiter?.resolve(m.hex);
        else waiter?.reject(new Error(`SHA-256 failed: ${m.message}`));
      }
    };
    worker.onerror = (e) => this.fail(new Error(`the hashing worker failed: ${e.message || 'unknown error'}`));
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

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.digests.values()) w.reject(e);
    this.digests.clear();
    for (const wake of this.waitingForBuffer.splice(0)) wake();
  }

  private expectDigest(id: number): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.digests.set(id, { resolve, reject }));
  }

  /** A new incremental hash. */
  open(): ThreadHash {
    const id = this.nextId++;
    return {
      update: async (bytes) => {
        for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) {
          while (this.free.length === 0 && !this.failed) await new Promise<void>((wake) => this.waitingForBuffer.push(wake));
          if (this.failed) throw this.failed;
          const buffer = this.free.pop()!;
          const piece = bytes.subarray(at, Math.min(bytes.byteLength, at + PIECE_BYTES));
          new Uint8Array(buffer).set(piece);
          this.worker.postMessage({ op: 'update', id, bytes: buffer, length: piece.byteLength }, [buffer]);
        }
      },
      digestHex: () => {
        const digest = this.expectDigest(id);
        this.worker.postMessage({ op: 'digest', id });
        return digest;
      },
    };
  }

  /** Ends the worker; hashes still pending (a job that failed half way) reject. */
  async close(): Promise<void> {
    this.fail(new Error('the hashing worker was closed'));
    this.worker.terminate();
  }
}
