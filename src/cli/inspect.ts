/**
 * `prospect inspect FILE [--json]`: the header facts of a .npy, or of every array in a .npz.
 * Scripts depend on the --json shape: one object per array with exactly the keys version, dtype (the
 * header's descr as written), shape, fortran_order, header_bytes, data_bytes — plus name for a .npz,
 * which prints a JSON array. Warnings (e.g. trailing bytes) go to stderr so stdout stays parseable.
 */
import { stat } from 'node:fs/promises';
import { WorkbenchError } from '../core/errors';
import { dtypeName, printable } from '../core/dtype';
import { fileSource } from '../core/node-source';
import { readArrayInfo, type ArrayInfo } from '../core/npy';
import { NPY_MAGIC } from '../core/npy-header';
import { listNpz } from '../core/npz';
import type { ByteSource } from '../core/source';
import { parseArgs } from './args';

const USAGE = 'usage: prospect inspect FILE [--json]';

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, { flags: ['json'] });
  if (parsed.positionals.length !== 1) throw new WorkbenchError('BAD_SETTING', `expected one FILE; ${USAGE}`);
  const path = parsed.positionals[0]!;
  const src = await openFile(path);
  try {
    const archive = await isArchive(src, path);
    const infos = archive ? await listNpz(src) : [await readArrayInfo(src)];
    if (parsed.flags.has('json')) {
      for (const w of infos.flatMap((i) => i.warnings)) process.stderr.write(`prospect inspect: warning: ${w}\n`);
      const objects = infos.map((i) => inspectJson(i, archive));
      process.stdout.write(pythonStyleJson(archive ? objects : objects[0]) + '\n');
    } else {
      process.stdout.write(describeFile(path, infos, archive));
    }
    return 0;
  } finally {
    await src.close?.();
  }
}

/** Opens `path`, turning OS errors into one line that names the file. */
async function openFile(path: string): Promise<ByteSource> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return await fileSource(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new WorkbenchError('IO_ERROR', `${printable(path, 200)}: cannot open (${why}).`, path);
  }
}

/**
 * A .npz is recognised by its zip signature; a file that is neither .npy nor zip is treated by its
 * extension, so the refusal says "not a .npy file" or "not a zip archive" as the user would expect.
 */
async function isArchive(src: ByteSource, path: string): Promise<boolean> {
  const head = await src.read(0, 6);
  if (head.length === 6 && NPY_MAGIC.every((b, i) => head[i] === b)) return false;
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5) && (head[3] === 4 || head[3] === 6)) return true;
  return /\.npz$/i.test(path);
}

/** The --json object of one array, keys in the documented order. */
export function inspectJson(info: ArrayInfo, withName: boolean): Record<string, unknown> {
  return {
    ...(withName ? { name: info.name } : {}),
    version: info.version,
    dtype: info.dtype,
    shape: info.shape,
    fortran_order: info.fortranOrder,
    header_bytes: info.headerBytes,
    data_bytes: info.dataBytes,
  };
}

/** JSON on one line with Python's `json.dumps` separators (", " and ": "), as the issue shows it. */
export function pythonStyleJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonStyleJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonStyleJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function bytesText(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${n} bytes (${v.toFixed(1)} ${units[u]})`;
}

function describeArray(info: ArrayInfo, indent: string): string[] {
  const order = info.itemSize === 1 ? 'byte order n/a' : info.littleEndian ? 'little endian' : 'big endian';
  const shape = info.shape.length === 1 ? `(${info.shape[0]},)` : `(${info.shape.join(', ')})`;
  const meaning = info.shape.length === 1 ? `${info.rows} values` : `${info.rows} rows × ${info.cols} columns`;
  return [
    `${indent}format   .npy version ${info.version}`,
    `${indent}dtype    ${info.dtype} (${dtypeName(info)}, ${order})`,
    `${indent}shape    ${shape} — ${meaning}${info.rows === 0 ? ' (empty)' : ''}`,
    `${indent}order    ${info.fortranOrder ? 'Fortran (column-major)' : 'C (row-major)'}`,
    `${indent}header   ${info.headerBytes} bytes`,
    `${indent}data     ${bytesText(info.dataBytes)}`,
    ...info.warnings.map((w) => `${indent}warning  ${w}`),
  ];
}

/** The human-readable report. */
function describeFile(path: string, infos: ArrayInfo[], archive: boolean): string {
  const lines: string[] = [];
  if (!archive) {
    lines.push(printable(path, 200), ...describeArray(infos[0]!, '  '));
  } else {
    lines.push(`${printable(path, 200)}: .npz archive with ${infos.length} array${infos.length === 1 ? '' : 's'}`);
    for (const info of infos) lines.push(`  ${printable(info.name, 200)}`, ...describeArray(info, '    '));
  }
  return lines.join('\n') + '\n';
}
