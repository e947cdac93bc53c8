/**
 * Exports the prepared layout kept in OPFS from the page: as a `.zip` built in the engine worker
 * (src/workers/zip-export.ts) whose chunks arrive here one at a time (transferred, never copied) and are
 * written through a WritableStream from `showSaveFilePicker`, or else collected as a Blob of chunk Blobs
 * and downloaded; or copied into a folder the user picks. The UI thread only moves chunks.
 */
import type { JobOptions } from '../../core/progress';
import { throttleProgress } from '../../core/progress';
import { WorkbenchError, throwIfAborted } from '../../core/errors';
import type { PreparedOutput } from '../../workers/engine.host';
import { openPreparedFile } from '../../workers/opfs-prepared';
import { ZIP_FILE_NAME, ZIP_READ_BYTES } from '../../workers/zip-export';
import { getEngine } from '../../workers/engine.client';

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
  const engine = getEngine();
  const picker = (globalThis as SaveFilePickerWindow).showSaveFilePicker;
  if (picker) {
    // Throws AbortError when the user closes the dialog: the caller treats it as a cancel.
    const handle = await picker({
      suggestedName: ZIP_FILE_NAME,
      types: [{ description: 'Zip archive', accept: { 'application/zip': ['.zip'] } }],
    });
    const writable = await handle.createWritable();
    try {
      await engine.exportZip(prepared, (c) => writable.write(c as Uint8Array<ArrayBuffer>), opts);
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => {});
      throw e;
    }
    return 'file';
  }
  const parts: Blob[] = [];
  await engine.exportZip(prepared, async (c) => void parts.push(new Blob([c as Uint8Array<ArrayBuffer>])), opts);
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
