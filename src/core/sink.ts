/**
 * Where prepared files go: a folder on disk (CLI), OPFS (page, so a reload loses nothing), a zip
 * stream, or a folder picked with the File System Access API. Writers stream; nothing is whole in memory.
 */
export interface OutputFile {
  /**
   * Appends `bytes`. They may be a view into WASM memory that the caller reuses once the promise
   * resolves: a sink that keeps them longer (e.g. a queued zip stream) must copy them.
   */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export interface OutputSink {
  /**
   * Creates (or truncates) the file at a `/`-separated path relative to the sink's root, e.g.
   * `data/test/labels.npy`. `expectedBytes`, when the writer knows the final size, lets a sink reserve
   * the space up front (OPFS writes into a file extended first run about twice as fast); the file still
   * ends where the writes end.
   */
  create(path: string, expectedBytes?: number): Promise<OutputFile>;
}

/**
 * Block alignment for writes that bypass the page cache (O_DIRECT: file offsets, lengths and memory
 * addresses are multiples of the logical block size, at most 4 KiB). Writers that can lay out their
 * buffers so that addresses agree with file offsets modulo this let a sink use it (node-sink.ts).
 */
export const DIRECT_ALIGN = 4096;
