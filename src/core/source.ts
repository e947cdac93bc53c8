/**
 * A random-access byte source: a browser `File`/`Blob`, a Node file, a window of another source, or an
 * entry of a `.npz` archive. Readers never need the whole source in memory.
 */
export interface ByteSource {
  /** The name shown in messages (the file name, or `archive.npz:features.npy`). */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /** Reads `length` bytes at `offset` (fewer only at the end of the source). */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Fills `target` (e.g. a view of WASM memory) with the bytes at `offset`, without an intermediate
   * buffer; returns how many were read (fewer only at the end of the source). Files on disk have it.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
  /** Releases OS handles, if any. */
  close?(): Promise<void>;
}

/** Default window for streaming reads: large enough to amortise I/O, small enough for WASM memory. */
export const CHUNK_BYTES = 16 * 1024 * 1024;

/** A source over a Blob/File (browser, worker, or Node ≥ 20 where Blob exists). */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'blob'): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset, length) {
      const end = Math.min(blob.size, offset + length);
      return new Uint8Array(await blob.slice(offset, end).arrayBuffer());
    },
  };
}

/** A source over bytes already in memory (tests, small files). */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    async read(offset, length) {
      return bytes.subarray(offset, Math.min(bytes.byteLength, offset + length));
    },
  };
}
