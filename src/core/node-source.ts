import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from './source';

/** A source over a file on disk (Node only: CLI, tests, benchmarks). */
export async function fileSource(path: string): Promise<ByteSource> {
  const fh = await open(path, 'r');
  const { size } = await fh.stat();
  return {
    name: basename(path),
    size,
    async read(offset, length) {
      const len = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(len);
      let got = 0;
      while (got < len) {
        const { bytesRead } = await fh.read(buf, got, len - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === len ? buf : buf.subarray(0, got);
    },
    async readInto(offset, target) {
      let got = 0;
      while (got < target.byteLength) {
        const { bytesRead } = await fh.read(target, got, target.byteLength - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got;
    },
    async close() {
      await fh.close();
    },
  };
}
