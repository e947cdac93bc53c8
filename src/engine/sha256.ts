/**
 * SHA-256 through the WASM kernel (assembly/sha256.ts): a whole ByteSource streamed in windows
 * (`sha256Source`), or an incremental hasher for bytes produced elsewhere (`createSha256`).
 *
 * Bytes are copied into one fixed window of linear memory per hasher (the arena is never grown after
 * the first alloc), so memory stays small whatever the file size.
 */
import { throwIfAborted } from '../core/errors';
import { throttleProgress, type JobOptions } from '../core/progress';
import type { ByteSource } from '../core/source';
import { instantiateKernels, type KernelFlavour, type Kernels } from './wasm';

/** Size of the WASM window bytes are copied through (and of each read from a source). */
export const SHA256_WINDOW_BYTES = 4 * 1024 * 1024;

/** An incremental SHA-256: feed bytes in any pieces, then read the hex digest once. */
export interface Sha256Hasher {
  update(bytes: Uint8Array): void;
  digestHex(): string;
}

interface Sha256Exports {
  sha256_init(): void;
  sha256_update(ptr: number, len: number): void;
  sha256_final(outPtr: number): void;
  sha256_bytes(): number;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

class WasmSha256 implements Sha256Hasher {
  private readonly fns: Sha256Exports;
  private readonly window: number;
  private readonly out: number;
  private done = false;

  constructor(private readonly kernels: Kernels) {
    this.fns = kernels.exports as unknown as Sha256Exports;
    this.window = kernels.alloc(SHA256_WINDOW_BYTES);
    this.out = kernels.alloc(32);
    this.fns.sha256_init();
  }

  update(bytes: Uint8Array): void {
    if (this.done) throw new Error('sha256: update() after digestHex().');
    for (let off = 0; off < bytes.byteLength; off += SHA256_WINDOW_BYTES) {
      const piece = bytes.subarray(off, Math.min(bytes.byteLength, off + SHA256_WINDOW_BYTES));
      // A fresh view each time: nothing grows memory here, but a view must never outlive a grow.
      this.kernels.u8(this.window, piece.byteLength).set(piece);
      this.fns.sha256_update(this.window, piece.byteLength);
    }
  }

  digestHex(): string {
    if (this.done) throw new Error('sha256: digestHex() called twice.');
    this.done = true;
    this.fns.sha256_final(this.out);
    return toHex(this.kernels.copyOut(this.out, 32));
  }
}

/** A fresh incremental SHA-256 hasher on its own kernel instance (pass `flavour` to force a build). */
export async function createSha256(flavour?: KernelFlavour): Promise<Sha256Hasher> {
  return new WasmSha256(await instantiateKernels(flavour));
}

/** Hex SHA-256 of a whole source, read in windows; progress in bytes (phase 'sha256'), abortable. */
export async function sha256Source(src: ByteSource, opts: JobOptions & { flavour?: KernelFlavour } = {}): Promise<string> {
  const progress = throttleProgress(opts.onProgress);
  const hasher = await createSha256(opts.flavour);
  progress({ phase: 'sha256', done: 0, total: src.size });
  for (let offset = 0; offset < src.size; ) {
    throwIfAborted(opts.signal, `Hashing ${src.name}`);
    const bytes = await src.read(offset, Math.min(SHA256_WINDOW_BYTES, src.size - offset));
    if (bytes.byteLength === 0) break;
    hasher.update(bytes);
    offset += bytes.byteLength;
    progress({ phase: 'sha256', done: offset, total: src.size });
  }
  return hasher.digestHex();
}
