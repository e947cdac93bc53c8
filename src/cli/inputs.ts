/** Command-line input paths: a file, or `archive.npz:entry` for an array inside an archive. */
import { stat } from 'node:fs/promises';
import { WorkbenchError } from '../core/errors';
import type { InputRef } from '../core/input';

/** A path, or `archive.npz:entry` for an array inside an archive; a missing file is one clear line. */
export async function pathInput(spec: string): Promise<InputRef> {
  const m = /^(.*\.npz):(.+)$/i.exec(spec);
  const path = m ? m[1]! : spec;
  await mustExist(path);
  return m ? { kind: 'path', path, entry: m[2]! } : { kind: 'path', path };
}

export async function mustExist(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) throw new WorkbenchError('IO_ERROR', `${path}: is a directory, not a file.`, path);
  } catch (e) {
    if (e instanceof WorkbenchError) throw e;
    const code = (e as { code?: string }).code;
    throw new WorkbenchError('IO_ERROR', `${path}: cannot open (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}).`, path);
  }
}
