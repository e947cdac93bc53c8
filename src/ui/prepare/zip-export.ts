/**
 * Exports the prepared layout kept in OPFS: as a `.zip` streamed file by file (fflate `Zip` +
 * `ZipPassThrough`: stored, no compression — float data barely compresses and this keeps the CRC the
 * only per-byte work), or into a folder the user picks. Nothing is ever whole in memory: files are read
 * in ZIP_READ_BYTES slices and each slice is written before the next is read. CRC-32 of one slice takes a
 * few ms, so the UI thread never blocks long.
 */
import { Zip, ZipPassThrough } from 'fflate';
import type { JobOptions } from '../../core/progress';
import { throttleProgress } from '../../core/progress';
import { WorkbenchError, throwIfAborted } from '../../core/errors';
import type { PreparedOutput } from '../../workers/engine.host';
import { openPreparedFile } from '../../workers/opfs-prepared';

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

/** Minimal typings of the File System Access API parts used here (Chromium only). */
interface SaveFilePickerWindow {
  showSaveFilePicker?: (o: { suggestedName: string; types?: { description: string; accept: Record<string, string[]> }[] }) => Promise<FileSystemFileHandle>;
  showDirectoryPicker?: (o: { mode: 'readwrite'; id?: string }) => Promise<FileSystemDirectoryHandle>;
}

/** True when the browser can write the zip straight to a file the user picks. */
export function canSaveToFile(): boolean {
  return typeof (globalThis as SaveFilePickerWindow).showSaveFilePicker === 'function';
}

/** True when the browser can export into a folder the user picks. */
export function canExportToFolder(): boolean {
  return typeof (globalThis as SaveFilePickerWindow).showDirectoryPicker === 'function';
}

/**
 * Exports the prepared layout as a `.zip`: written through a WritableStream to a file the user picks where
 * the browser can, else collected as a Blob of chunk Blobs (the browser may keep those on disk; never one
 * big ArrayBuffer) and downloaded. Resolves with how it was saved.
 */
export async function exportPreparedZip(prepared: PreparedOutput, opts: JobOptions = {}): Promise<'file' | 'download'> {
  const open = (path: string) => openPreparedFile(prepared, path);
  const picker = (globalThis as SaveFilePickerWindow).showSaveFilePicker;
  if (picker) {
    // Throws AbortError when the user closes the dialog: the caller treats it as a cancel.
    const handle = await picker({
      suggestedName: ZIP_FILE_NAME,
      types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }],
    });
    const writable = await handle.createWritable();
    try {
      await writeLayoutZip(prepared.files, open, (c) => writable.write(c as Uint8Array<ArrayBuffer>), opts);
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => {});
      throw e;
    }
    return 'file';
  }
  const parts: Blob[] = [];
  await writeLayoutZip(prepared.files, open, async (c) => void parts.push(new Blob([c as Uint8Array<ArrayBuffer>])), opts);
  downloadBlob(new Blob(parts, { type: 'application/zip' }), ZIP_FILE_NAME);
  return 'download';
}

/** Starts a download of `blob` named `name` (the object URL is revoked once the download has started). */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Copies the layout into a folder the user picks (`data/...` below it). */
export async function exportPreparedToFolder(prepared: PreparedOutput, opts: JobOptions = {}): Promise<void> {
  const picker = (globalThis as SaveFilePickerWindow).showDirectoryPicker;
  if (!picker) throw new WorkbenchError('IO_ERROR', 'This browser cannot write into a folder; download the .zip instead.');
  const root = await picker({ mode: 'readwrite', id: 'prepared-export' });
  const onProgress = throttleProgress(opts.onProgress);
  const total = prepared.files.reduce((a, f) => a + f.size, 0);
  let done = 0;
  for (const f of prepared.files) {
    throwIfAborted(opts.signal, 'The export');
    const parts = f.path.split('/');
    const name = parts.pop()!;
    let dir = root;
    for (const p of parts) dir = await dir.getDirectoryHandle(p, { create: true });
    const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
    try {
      const file = await openPreparedFile(prepared, f.path);
      for (let offset = 0; offset < file.size; offset += ZIP_READ_BYTES) {
        throwIfAborted(opts.signal, 'The export');
        const end = Math.min(file.size, offset + ZIP_READ_BYTES);
        await writable.write(file.slice(offset, end));
        done += end - offset;
        onProgress({ phase: `copy ${f.path}`, done, total });
      }
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => {});
      throw e;
    }
  }
}
