/**
 * An OutputSink over a folder on disk (CLI, tests, benchmarks): `create('data/test/labels.npy')` makes
 * the parent folders and streams the file with positional writes.
 *
 * Big files (`expectedBytes` of at least DIRECT_MIN_BYTES) are written around the page cache where the
 * system allows it (Linux O_DIRECT): the 4 KiB-aligned middle of each write whose memory is aligned like
 * its file offset goes through a second, O_DIRECT handle, and the unaligned ends through the ordinary one
 * (different 4 KiB blocks, so the two never overlap). The prepare job never reads its outputs back, and
 * copying gigabytes into cache pages costs CPU the job needs (here 0.2–2.5 s of system time per GB,
 * against ~0.04 s through O_DIRECT); the user's cached files are not evicted either. Where O_DIRECT is
 * missing or refused (another OS, tmpfs, a network file system), every byte takes the ordinary path.
 */
import { constants } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { WorkbenchError } from '../core/errors';
import { DIRECT_ALIGN, type OutputFile, type OutputSink } from '../core/sink';

/** Files expected to be smaller than this are written through the page cache only. */
export const DIRECT_MIN_BYTES = 16 * 1024 * 1024;
/** Aligned middles shorter than this go through the page cache too (not worth a second syscall). */
const DIRECT_MIN_RUN = 1024 * 1024;
/** O_DIRECT writes are issued in pieces of this size, DIRECT_LANES at a time. */
const DIRECT_PIECE = 16 * 1024 * 1024;
/**
 * O_DIRECT pieces in flight across all files: each blocks one of libuv's four threads for its whole
 * transfer, and the job's input reads queue on the same threads (more lanes held the reads up).
 */
const DIRECT_LANES = 2;

let lanesBusy = 0;
const laneWaiters: Array<() => void> = [];

/** Runs `f` once one of the DIRECT_LANES is free. */
async function inLane<T>(f: () => Promise<T>): Promise<T> {
  while (lanesBusy >= DIRECT_LANES) await new Promise<void>((wake) => laneWaiters.push(wake));
  lanesBusy++;
  try {
    return await f();
  } finally {
    lanesBusy--;
    laneWaiters.shift()?.();
  }
}

export interface DirSinkOptions {
  /** Use O_DIRECT for big files where available (default true; false: the page cache only). */
  direct?: boolean;
}

async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, position + done);
    if (bytesWritten === 0) throw new Error('the disk accepted no bytes');
    done += bytesWritten;
  }
}

/** A file of dirSink: also tells how many of its bytes went around the page cache. */
export interface DirSinkFile extends OutputFile {
  readonly bytesDirect: number;
}

export interface DirSink extends OutputSink {
  create(path: string, expectedBytes?: number): Promise<DirSinkFile>;
}

/** A sink writing under `root` (created if missing); paths may not escape it. */
export function dirSink(root: string, opts: DirSinkOptions = {}): DirSink {
  const base = resolve(root);
  const directFlag = opts.direct === false ? undefined : (constants as { O_DIRECT?: number }).O_DIRECT;
  return {
    async create(path: string, expectedBytes?: number): Promise<DirSinkFile> {
      const full = resolve(join(base, path));
      if (!full.startsWith(base + sep)) throw new WorkbenchError('IO_ERROR', `The output path ${path} would leave ${root}.`);
      const failed = (e: unknown) => new WorkbenchError('IO_ERROR', `Could not write ${full}: ${(e as Error).message}.`, full);
      let fh: FileHandle;
      let direct: FileHandle | null = null;
      try {
        await mkdir(dirname(full), { recursive: true });
        fh = await open(full, 'w');
      } catch (e) {
        throw failed(e);
      }
      if (directFlag && (expectedBytes ?? 0) >= DIRECT_MIN_BYTES) {
        direct = await open(full, constants.O_WRONLY | directFlag).catch(() => null);
      }
      let position = 0;
      let bytesDirect = 0;

      /** The aligned middle [a, b) of a write at `start`, through O_DIRECT; false if it was refused. */
      const writeDirect = async (bytes: Uint8Array, at: number): Promise<boolean> => {
        const pieces: Promise<unknown>[] = [];
        for (let o = 0; o < bytes.byteLength; o += DIRECT_PIECE) {
          const piece = bytes.subarray(o, Math.min(bytes.byteLength, o + DIRECT_PIECE));
          pieces.push(inLane(() => writeAll(direct!, piece, at + o)));
        }
        const results = await Promise.allSettled(pieces);
        return results.every((r) => r.status === 'fulfilled');
      };

      return {
        get bytesDirect() {
          return bytesDirect;
        },
        async write(bytes: Uint8Array) {
          const start = position;
          const end = start + bytes.byteLength;
          position = end;
          try {
            const a = Math.ceil(start / DIRECT_ALIGN) * DIRECT_ALIGN;
            const b = Math.floor(end / DIRECT_ALIGN) * DIRECT_ALIGN;
            if (!direct || b - a < DIRECT_MIN_RUN || (bytes.byteOffset + (a - start)) % DIRECT_ALIGN !== 0) {
              await writeAll(fh, bytes, start);
              return;
            }
            await writeAll(fh, bytes.subarray(0, a - start), start);
            const middle = bytes.subarray(a - start, b - start);
            if (!(await writeDirect(middle, a))) {
              // Refused (EINVAL: an alignment this file system does not take): the page cache from now on.
              await direct.close().catch(() => {});
              direct = null;
              await writeAll(fh, middle, a);
            } else {
              bytesDirect += middle.byteLength;
            }
            await writeAll(fh, bytes.subarray(b - start), b);
          } catch (e) {
            throw failed(e);
          }
        },
        async close() {
          try {
            await direct?.close();
            await fh.close();
          } catch (e) {
            throw failed(e);
          }
        },
      };
    },
  };
}
