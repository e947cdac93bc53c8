/**
 * Streams a prepared layout as a `.zip` (client-zip's `makeZip`: stored, no compression — float data
 * barely compresses, and this keeps CRC-32 the only per-byte work — and Zip64 records wherever an entry
 * or the archive passes 4 GiB, so layouts of any size export). Nothing is ever whole in memory: files are
 * read in ZIP_READ_BYTES slices, and the zip stream pulls the next slice only once the previous bytes
 * were written. Runs in the engine worker (`EngineHostApi.exportZip`), so the CRC never runs on the UI
 * thread; the page only writes the chunks it receives (src/ui/prepare/zip-export.ts).
 */
import { makeZip } from 'client-zip';
import type { JobOptions } from '../core/progress';
import { throttleProgress } from '../core/progress';
import { WorkbenchError, throwIfAborted } from '../core/errors';

/** Slice read from OPFS per step (CRC-32 of 2 MiB is a few ms). */
export const ZIP_READ_BYTES = 2 * 1024 * 1024;
/** Suggested file name of the export. */
export const ZIP_FILE_NAME = 'prepared-data.zip';

/** Something that accepts the zip's bytes in order (a FileSystemWritableFileStream, a Blob collector, a test). */
export type ChunkWriter = (chunk: Uint8Array) => Promise<void>;

/** A file of the layout for the zip: its bytes as a Blob, or (tests) as a stream of chunks. */
export type LayoutFileSource = Blob | { size: number; chunks(): AsyncIterable<Uint8Array> };

/**
 * Streams the layout as a zip into `write`. `open(path)` gives a file of the layout (OPFS in the page,
 * Blobs in tests). Progress counts input bytes.
 */
export async function writeLayoutZip(
  files: { path: string; size: number }[],
  open: (path: string) => Promise<LayoutFileSource>,
  write: ChunkWriter,
  opts: JobOptions = {},
): Promise<void> {
  const total = files.reduce((a, f) => a + f.size, 0);
  const onProgress = throttleProgress(opts.onProgress);
  let done = 0;
  onProgress({ phase: 'zip', done, total });
  const lastModified = new Date();

  // One file's bytes, a slice at a time, counted and checked against its expected size.
  async function* slices(path: string, expected: number, source: LayoutFileSource): AsyncGenerator<Uint8Array> {
    const chunks =
      source instanceof Blob
        ? (async function* () {
            for (let offset = 0; offset < source.size; offset += ZIP_READ_BYTES) {
              yield new Uint8Array(await source.slice(offset, Math.min(source.size, offset + ZIP_READ_BYTES)).arrayBuffer());
            }
          })()
        : source.chunks();
    let seen = 0;
    for await (const chunk of chunks) {
      throwIfAborted(opts.signal, 'The export');
      seen += chunk.byteLength;
      if (seen > expected) break;
      yield chunk;
      done += chunk.byteLength;
      onProgress({ phase: `zip ${path}`, done, total });
    }
    if (seen !== expected) {
      throw new WorkbenchError('IO_ERROR', `${path}: the stored file changed size (${seen} bytes or more, expected ${expected}); prepare again.`, path);
    }
  }

  async function* entries() {
    for (const f of files) {
      throwIfAborted(opts.signal, 'The export');
      const source = await open(f.path);
      if (source.size !== f.size) {
        throw new WorkbenchError('IO_ERROR', `${f.path}: the stored file changed size (${source.size} bytes, expected ${f.size}); prepare again.`, f.path);
      }
      yield { name: f.path, size: f.size, lastModified, input: slices(f.path, f.size, source) };
    }
  }

  const reader = makeZip(entries()).getReader();
  try {
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      throwIfAborted(opts.signal, 'The export');
      await write(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    throw e;
  }
  onProgress({ phase: 'zip', done: total, total });
}
