/**
 * The OPFS output sink used by the engine worker when the page prepares data: files are written with
 * `createSyncAccessHandle` (positional, synchronous writes — dedicated workers only), into a fresh run
 * folder under `prepared/`; `commit` lists the files and points `prepared/current.json` at the run, then
 * removes older runs. See ./opfs-prepared.ts for the layout and for reading it back.
 */
import type { OutputFile, OutputSink } from '../core/sink';
import type { PrepareResult } from '../core/prepare-types';
import type { PreparedOutput, PreparedStaging, PreparedStore, StoredFile } from './engine.host';
import { CURRENT_MANIFEST, PREPARED_DIR, openPreparedFile, readPreparedManifest, walkDirs } from './opfs-prepared';
import { WorkbenchError } from '../core/errors';

/** A file being written through a sync access handle. */
export interface OpfsOutputFile extends OutputFile {
  /** Writes `bytes` at byte `offset` (does not move the append position). */
  writeAt(bytes: Uint8Array, offset: number): Promise<void>;
}

/**
 * Largest single write: an output window can be hundreds of MB, and Chromium wrote 200 MB in 0.9-1.1 s
 * in 4 MiB pieces against 1.3 s in one call (in-memory OPFS of a private context, Dec 2026).
 */
const WRITE_PIECE_BYTES = 4 * 1024 * 1024;

/** Writes all of `bytes` at `offset` (a sync handle may write fewer bytes than asked). */
function writeFully(handle: FileSystemSyncAccessHandle, bytes: Uint8Array, offset: number, path: string): void {
  let done = 0;
  while (done < bytes.byteLength) {
    const n = handle.write(bytes.subarray(done, done + WRITE_PIECE_BYTES), { at: offset + done });
    if (n <= 0) throw new WorkbenchError('IO_ERROR', `${path}: browser storage refused the write (is the disk full?).`, path);
    done += n;
  }
}

/** An OPFS sink that can also close whatever files a failed or cancelled job left open. */
export interface OpfsSink extends OutputSink {
  /**
   * Closes every file still open: a job that stops early does not close its files, and a folder
   * holding an open sync access handle cannot be removed.
   */
  closeOpenFiles(): void;
}

/** An OutputSink writing below `root` (an OPFS directory handle). */
export function makeOpfsSink(root: FileSystemDirectoryHandle, label = 'prepared'): OpfsSink {
  const open = new Set<FileSystemSyncAccessHandle>();
  return {
    closeOpenFiles() {
      for (const handle of open) {
        try {
          handle.close();
        } catch {
          // Already closed by the browser: nothing to release.
        }
      }
      open.clear();
    },
    async create(path: string, expectedBytes?: number): Promise<OpfsOutputFile> {
      const parts = path.split('/');
      const name = parts.pop()!;
      const dir = await walkDirs(root, parts, true);
      const fileHandle = await dir.getFileHandle(name, { create: true });
      let handle: FileSystemSyncAccessHandle;
      try {
        handle = await fileHandle.createSyncAccessHandle();
      } catch (e) {
        throw new WorkbenchError(
          'IO_ERROR',
          `${label}/${path}: cannot open the file in browser storage (${(e as Error).message}).`,
          path,
        );
      }
      open.add(handle);
      handle.truncate(0);
      // Extending the file first halves the time of the writes that fill it where OPFS is held in
      // memory (private contexts, as in the e2e tests: 200 MB in 0.08 + 0.5 s against 1.0 s); on disk
      // the extension is free and changes nothing. close() cuts whatever the writes did not reach.
      if (expectedBytes && expectedBytes > 0) handle.truncate(expectedBytes);
      let position = 0;
      let end = 0;
      let closed = false;
      return {
        async write(bytes) {
          writeFully(handle, bytes, position, path);
          position += bytes.byteLength;
          end = Math.max(end, position);
        },
        async writeAt(bytes, offset) {
          writeFully(handle, bytes, offset, path);
          end = Math.max(end, offset + bytes.byteLength);
        },
        async close() {
          if (closed) return;
          closed = true;
          open.delete(handle);
          if (handle.getSize() !== end) handle.truncate(end);
          handle.flush();
          handle.close();
        },
      };
    },
  };
}

/** Every file below `dir`, with sizes, as `/`-separated paths (sorted). */
async function listFiles(dir: FileSystemDirectoryHandle, prefix = ''): Promise<StoredFile[]> {
  const out: StoredFile[] = [];
  // entries() is an async iterator on FileSystemDirectoryHandle (missing from older DOM typings).
  const entries = (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries();
  for await (const [name, handle] of entries) {
    const path = prefix ? `${prefix}/${name}` : name;
    if (handle.kind === 'directory') out.push(...(await listFiles(handle as FileSystemDirectoryHandle, path)));
    else out.push({ path, size: (await (handle as FileSystemFileHandle).getFile()).size });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes a small text file with a sync access handle. */
async function writeText(dir: FileSystemDirectoryHandle, name: string, text: string): Promise<void> {
  const handle = await (await dir.getFileHandle(name, { create: true })).createSyncAccessHandle();
  try {
    handle.truncate(0);
    writeFully(handle, new TextEncoder().encode(text), 0, name);
    handle.flush();
  } finally {
    handle.close();
  }
}

/** The PreparedStore of the engine worker: runs under OPFS `prepared/`, the last one kept across reloads. */
export function makeOpfsPreparedStore(): PreparedStore {
  const preparedDir = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(PREPARED_DIR, { create: true });

  /** Removes every run folder except `keep`. */
  async function removeRunsExcept(keep: string | undefined): Promise<void> {
    const dir = await preparedDir();
    const names: string[] = [];
    for await (const [name, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
      if (handle.kind === 'directory' && name !== keep) names.push(name);
    }
    for (const name of names) await dir.removeEntry(name, { recursive: true }).catch(() => {});
  }

  return {
    async begin(): Promise<PreparedStaging> {
      // Runs left behind by a terminated worker (it could not discard) are removed here.
      const current = await readPreparedManifest();
      await removeRunsExcept(current?.root.split('/').pop());
      const runId = `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
      const dir = await preparedDir();
      const runDir = await dir.getDirectoryHandle(runId, { create: true });
      const root = `${PREPARED_DIR}/${runId}`;
      const sink = makeOpfsSink(runDir, root);
      return {
        sink,
        async commit(result: PrepareResult): Promise<PreparedOutput> {
          const output: PreparedOutput = {
            root,
            files: await listFiles(runDir),
            result,
            savedAt: new Date().toISOString(),
          };
          await writeText(dir, CURRENT_MANIFEST, JSON.stringify(output));
          await removeRunsExcept(runId);
          return output;
        },
        async discard() {
          sink.closeOpenFiles();
          await dir.removeEntry(runId, { recursive: true });
        },
      };
    },
    load: () => readPreparedManifest(),
    openFile: (root, path) => openPreparedFile({ root }, path),
    async clear() {
      const dir = await preparedDir();
      await dir.removeEntry(CURRENT_MANIFEST).catch(() => {});
      await removeRunsExcept(undefined);
    },
  };
}
