/**
 * Reading the prepared layout kept in the origin-private file system (OPFS). Works in the page and in
 * any worker (async OPFS API only). The layout is written by the engine worker (./opfs-sink.ts):
 *
 *   prepared/current.json          the PreparedOutput of the last finished run (root, files, result)
 *   prepared/<run-id>/data/...     that run's files (the bucket layout)
 *
 * A run writes into a fresh `<run-id>` folder and only then replaces `current.json`, so a cancelled or
 * failed run never damages the last result, and a reload finds it again.
 */
import type { PreparedOutput } from './engine.host';
import { WorkbenchError } from '../core/errors';

/** Top-level OPFS folder of prepared layouts. */
export const PREPARED_DIR = 'prepared';
/** Name of the pointer to the last finished run, inside PREPARED_DIR. */
export const CURRENT_MANIFEST = 'current.json';

/** True when this browser context has OPFS. */
export function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}

/** Walks `/`-separated folder names from `dir`, creating them when `create` is set. */
export async function walkDirs(
  dir: FileSystemDirectoryHandle,
  names: string[],
  create: boolean,
): Promise<FileSystemDirectoryHandle> {
  let d = dir;
  for (const name of names) {
    if (name === '' || name === '.' || name === '..') {
      throw new WorkbenchError('IO_ERROR', `The storage path part '${name}' is not allowed.`);
    }
    d = await d.getDirectoryHandle(name, { create });
  }
  return d;
}

/** The handle of a file at a `/`-separated path below the OPFS root. */
export async function opfsFileHandle(path: string, create = false): Promise<FileSystemFileHandle> {
  const parts = path.split('/');
  const name = parts.pop()!;
  const dir = await walkDirs(await navigator.storage.getDirectory(), parts, create);
  return dir.getFileHandle(name, { create });
}

/** The last prepared layout in OPFS, or null when there is none (or it is incomplete). */
export async function readPreparedManifest(): Promise<PreparedOutput | null> {
  if (!hasOpfs()) return null;
  let text: string;
  try {
    const handle = await opfsFileHandle(`${PREPARED_DIR}/${CURRENT_MANIFEST}`);
    text = await (await handle.getFile()).text();
  } catch {
    return null; // NotFoundError: nothing prepared yet.
  }
  let manifest: PreparedOutput;
  try {
    manifest = JSON.parse(text) as PreparedOutput;
  } catch {
    return null;
  }
  // Trust the manifest only if every file it lists is still there with its size.
  for (const f of manifest.files ?? []) {
    try {
      const file = await (await opfsFileHandle(`${manifest.root}/${f.path}`)).getFile();
      if (file.size !== f.size) return null;
    } catch {
      return null;
    }
  }
  return manifest;
}

/** A `File` (disk-backed, read lazily) for one file of a prepared layout, e.g. `data/test/labels.npy`. */
export async function openPreparedFile(prepared: Pick<PreparedOutput, 'root'>, path: string): Promise<File> {
  try {
    return await (await opfsFileHandle(`${prepared.root}/${path}`)).getFile();
  } catch (e) {
    throw new WorkbenchError(
      'IO_ERROR',
      `${path}: the prepared file is no longer in browser storage (${(e as Error).message}); prepare again.`,
      path,
    );
  }
}
