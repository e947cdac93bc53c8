/**
 * Streams a prepared layout as a `.zip` (fflate `Zip` + `ZipPassThrough`: stored, no compression — float
 * data barely compresses, and this keeps CRC-32 the only per-byte work). Nothing is ever whole in memory:
 * files are read in ZIP_READ_BYTES slices and each slice is handed on (and awaited) before the next is
 * read. Runs in the engine worker (`EngineHostApi.exportZip`), so the CRC never runs on the UI thread;
 * the page only writes the chunks it receives (src/ui/prepare/zip-export.ts).
 */
import { Zip, ZipPassThrough } from 'fflate';
import type { JobOptions } from '../core/progress';
import { throttleProgress } from '../core/progress';
import { WorkbenchError, throwIfAborted } from '../core/errors';

/** Slice read from OPFS per step (CRC-32 of 2 MiB is a few ms on the UI thread). */
export const ZIP_READ_BYTES = 2 * 1024 * 1024;
/** Zip without Zip64 (fflate writes none) addresses at most 4 GiB. */
export const ZIP32_LIMIT_BYTES = 0xffffffff;
/** Suggested file name of the export. */
export const ZIP_FILE_NAME = 'prepared-data.zip';

/** Something that accepts the zip's bytes in order (a FileSystemWritableFileStream, a Blob collector, a test). */
export type ChunkWriter = (chunk: Uint8Array) => Promise<void>;

/**
 * Streams the layout as a zip into `write`. `open(path)` gives a file of the layout (OPFS in the page,
 * Blobs in tests). Progress counts input bytes.
 */
export async function writeLayoutZip(
  files: { path: string; size: number }[],
  open: (path: string) => Promise<Blob>,
  write: ChunkWriter,
  opts: JobOptions = {},
): Promise<void> {
  const total = files.reduce((a, f) => a + f.size, 0);
  // Local headers + data descriptors + central directory: ~ 100 + 2 × path bytes per file.
  const overhead = files.reduce((a, f) => a + 128 + 2 * f.path.length, 22);
  if (total + overhead > ZIP32_LIMIT_BYTES) {
    throw new WorkbenchError(
      'IO_ERROR',
      `The prepared layout is ${(total / 2 ** 30).toFixed(1)} GiB; a .zip without Zip64 holds at most 4 GiB — export to a folder instead.`,
    );
  }
  const onProgress = throttleProgress(opts.onProgress);
  let pending: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else pending.push(chunk);
  });
  const flush = async () => {
    if (failure) throw failure;
    const out = pending;
    pending = [];
    for (const c of out) await write(c);
  };
  let done = 0;
  onProgress({ phase: 'zip', done, total });
  for (const f of files) {
    throwIfAborted(opts.signal, 'The export');
    const entry = new ZipPassThrough(f.path);
    zip.add(entry);
    const blob = await open(f.path);
    if (blob.size !== f.size) {
      throw new WorkbenchError('IO_ERROR', `${f.path}: the stored file changed size (${blob.size} bytes, expected ${f.size}); prepare again.`, f.path);
    }
    if (blob.size === 0) entry.push(new Uint8Array(0), true);
    for (let offset = 0; offset < blob.size; offset += ZIP_READ_BYTES) {
      throwIfAborted(opts.signal, 'The export');
      const end = Math.min(blob.size, offset + ZIP_READ_BYTES);
      const slice = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
      entry.push(slice, end === blob.size);
      await flush();
      done += slice.byteLength;
      onProgress({ phase: `zip ${f.path}`, done, total });
    }
    await flush();
  }
  zip.end();
  await flush();
  onProgress({ phase: 'zip', done: total, total });
}

