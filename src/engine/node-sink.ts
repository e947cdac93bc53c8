/**
 * An OutputSink over a folder on disk (CLI, tests, benchmarks): `create('data/test/labels.npy')` makes
 * the parent folders and streams the file with positional writes.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { WorkbenchError } from '../core/errors';
import type { OutputFile, OutputSink } from '../core/sink';

/** A sink writing under `root` (created if missing); paths may not escape it. */
export function dirSink(root: string): OutputSink {
  const base = resolve(root);
  return {
    async create(path: string): Promise<OutputFile> {
      const full = resolve(join(base, path));
      if (!full.startsWith(base + sep)) throw new WorkbenchError('IO_ERROR', `The output path ${path} would leave ${root}.`);
      try {
        await mkdir(dirname(full), { recursive: true });
        const fh = await open(full, 'w');
        let position = 0;
        return {
          async write(bytes: Uint8Array) {
            let done = 0;
            while (done < bytes.byteLength) {
              const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, position);
              done += bytesWritten;
              position += bytesWritten;
            }
          },
          async close() {
            await fh.close();
          },
        };
      } catch (e) {
        throw new WorkbenchError('IO_ERROR', `Could not write ${full}: ${(e as Error).message}.`, full);
      }
    },
  };
}
