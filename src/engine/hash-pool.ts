/**
 * The page-side half of a hashing thread, shared by Node's worker_threads hasher (node-hasher.ts) and the
 * page's nested Web Worker (browser-hasher.ts): ids per file, a small pool of buffers that travel to the
 * thread and back (transferred, never cloned, so memory stays at poolBuffers × pieceBytes whatever the file
 * sizes), and the digests awaited per id. The hosts only deliver messages and failures.
 */

/** One incremental hash on the hashing thread. */
export interface ThreadHash {
  /** Queues a copy of `bytes` (the caller may reuse them once the promise resolves). */
  update(bytes: Uint8Array): Promise<void>;
  digestHex(): Promise<string>;
}

/** Messages the hashing thread sends back. */
export type HashReply =
  | { op: 'returned'; bytes: ArrayBuffer }
  | { op: 'digest'; id: number; hex: string }
  | { op: 'error'; id: number; message: string };

/** Sends one message to the hashing thread, transferring `transfer`. */
export type PostToHasher = (message: unknown, transfer?: ArrayBuffer[]) => void;

/** Buffer pool, per-file ids and pending digests of one hashing thread. */
export class HashPool {
  private readonly free: ArrayBuffer[] = [];
  private readonly waitingForBuffer: Array<() => void> = [];
  private readonly digests = new Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failed: Error | null = null;

  constructor(
    private readonly post: PostToHasher,
    readonly pieceBytes: number,
    poolBuffers: number,
  ) {
    for (let i = 0; i < poolBuffers; i++) this.free.push(new ArrayBuffer(pieceBytes));
  }

  /** False once the thread has failed or been closed. */
  get healthy(): boolean {
    return this.failed === null;
  }

  /** Handles a reply of the thread: a buffer coming back, or a digest (or its failure). */
  onReply(m: HashReply): void {
    if (m.op === 'returned') {
      this.free.push(m.bytes);
      this.waitingForBuffer.shift()?.();
      return;
    }
    const waiter = this.digests.get(m.id);
    this.digests.delete(m.id);
    if (m.op === 'digest') waiter?.resolve(m.hex);
    else waiter?.reject(new Error(`SHA-256 failed: ${m.message}`));
  }

  /** The thread is gone: pending digests reject, writers waiting for a buffer wake and throw. */
  fail(e: Error): void {
    this.failed ??= e;
    for (const w of this.digests.values()) w.reject(e);
    this.digests.clear();
    for (const wake of this.waitingForBuffer.splice(0)) wake();
  }

  /** A fresh id for a file hashed on the thread. */
  newId(): number {
    return this.nextId++;
  }

  /** Asks the thread for the digest of everything sent for `id` so far. */
  digest(id: number): Promise<string> {
    if (this.failed) return Promise.reject(this.failed);
    const p = new Promise<string>((resolve, reject) => this.digests.set(id, { resolve, reject }));
    this.post({ op: 'digest', id });
    return p;
  }

  /** Posts a message of the host's own protocol (e.g. Node's `{op: 'file', id, path}`). */
  send(message: unknown): void {
    this.post(message);
  }

  /** A new incremental hash. */
  open(): ThreadHash {
    const id = this.newId();
    return {
      update: async (bytes) => {
        for (let at = 0; at < bytes.byteLength; at += this.pieceBytes) {
          while (this.free.length === 0 && !this.failed) await new Promise<void>((wake) => this.waitingForBuffer.push(wake));
          if (this.failed) throw this.failed;
          const buffer = this.free.pop()!;
          const piece = bytes.subarray(at, Math.min(bytes.byteLength, at + this.pieceBytes));
          new Uint8Array(buffer).set(piece);
          this.post({ op: 'update', id, bytes: buffer, length: piece.byteLength }, [buffer]);
        }
      },
      digestHex: () => this.digest(id),
    };
  }
}
