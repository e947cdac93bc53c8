/**
 * SHA-256 of the prepare job's input and output files on a second thread (Node only): node:crypto in a
 * worker_threads Worker (node-hash.worker.mjs), so that hashing ~2 bytes per input byte no longer
 * competes with the transform for the main thread. Input files on disk are read by the worker itself;
 * output bytes are copied into a small pool of buffers that travel to the worker and back (transferred,
 * never cloned), so memory stays at POOL_BUFFERS x PIECE_BYTES whatever the file sizes.
 */
import { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';

/** Bytes per buffer handed to the worker. */
const PIECE_BYTES = 8 * 1024 * 1024;
/** Buffers in flight: enough that the main thread rarely waits for the worker, small next to the job. */
const POOL_BUFFERS = 4;

type Reply = { op: 'returned'; bytes: ArrayBuffer } | { op: 'digest'; id: number; hex: string } | { op: 'error'; id: number; message: string };

/** One incremental hash on the hashing thread. */
export interface ThreadHash {
  /** Queues a copy of `bytes` (the caller may reuse them once the promise resolves). */
  update(bytes: Uint8Array): Promise<void>;
  digestHex(): Promise<string>;
}

/** A hashing thread with its buffer pool; `close()` ends the thread. */
export class ThreadHasher {
  private readonly worker: Worker;
  private readonly free: ArrayBuffer[] = [];
  private readonly waitingForBuffer: Array<() => void> = [];
  private readonly digests = new Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failed: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL('./node-hash.worker.mjs', import.meta.url));
    for (let i = 0; i < POOL_BUFFERS; i++) this.free.push(new ArrayBuffer(PIECE_BYTES));
    this.worker.on('message', (m: Reply) => {
      if (m.op === 'returned') {
        this.free.push(m.bytes);
        this.waitingForBuffer.shift()?.();
        return;
      }
      const waiter = this.digests.get(m.id);
      this.digests.delete(m.id);
      if (m.op === 'digest') waiter?.resolve(m.hex);
      else waiter?.reject(new Error(`SHA-256 failed: ${m.message}`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`the hashing thread stopped (exit code ${code})`)));
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.digests.values()) w.reject(e);
    this.digests.clear();
    for (const wake of this.waitingForBuffer.splice(0)) wake();
  }

  private digest(id: number): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.digests.set(id, { resolve, reject });
      this.worker.postMessage({ op: 'digest', id });
    });
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
      digestHex: () => this.digest(id),
    };
  }

  /** Starts hashing a whole file on disk (read by the hashing thread); resolves to its hex digest. */
  hashFile(path: string): Promise<string> {
    const id = this.nextId++;
    this.worker.postMessage({ op: 'file', id, path });
    return this.digest(id);
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
