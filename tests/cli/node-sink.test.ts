/**
 * The CLI's folder sink: big files go around the page cache (O_DIRECT) for the aligned middle of each
 * write and through it for the rest; whatever the path taken, the file holds exactly the bytes written.
 */
import { constants } from 'node:fs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIRECT_ALIGN } from '../../src/core/sink';
import { DIRECT_MIN_BYTES, dirSink } from '../../src/engine/node-sink';
import { makeRandom } from '../e2e/reference';

const dir = mkdtempSync(join(tmpdir(), 'prospect-sink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether this folder's file system takes O_DIRECT at all (Linux ext4/xfs do; tmpfs may not). */
async function directWorksIn(folder: string): Promise<boolean> {
  const flag = (constants as { O_DIRECT?: number }).O_DIRECT;
  if (!flag) return false;
  const probe = join(folder, 'probe');
  try {
    const fh = await open(probe, constants.O_WRONLY | constants.O_CREAT | flag);
    try {
      const block = new Uint8Array(new WebAssembly.Memory({ initial: 1 }).buffer, 0, DIRECT_ALIGN);
      await fh.write(block, 0, DIRECT_ALIGN, 0);
      return true;
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  } finally {
    rmSync(probe, { force: true });
  }
}

/** Page-aligned memory (WASM memory starts on a page) with seeded bytes. */
function alignedBytes(n: number, seed: number): Uint8Array {
  const mem = new WebAssembly.Memory({ initial: Math.ceil((n + 2 * DIRECT_ALIGN) / 65536) });
  const u = new Uint8Array(mem.buffer);
  const rnd = makeRandom(seed);
  for (let i = 0; i < u.length; i += 4) new DataView(mem.buffer).setUint32(i, Math.floor(rnd() * 2 ** 32), true);
  return u;
}

describe('dirSink', () => {
  it.each([
    ['around the page cache where the file system allows it', true],
    ['through the page cache only', false],
  ])('writes a big file %s, byte for byte, whatever the alignment of each write', async (_what, direct) => {
    const total = DIRECT_MIN_BYTES + 3 * 1024 * 1024 + 77;
    const memory = alignedBytes(total + DIRECT_ALIGN, 11);
    // Laid out as the prepare job lays out its windows: memory address = file offset (mod 4 KiB), so the
    // middles of the big writes can go straight from memory.
    const header = 128;
    const base = DIRECT_ALIGN;
    const sink = dirSink(dir, { direct });
    const name = `big-${direct}.bin`;
    const f = await sink.create(name, total);
    const cuts = [0, header, header + 5, 3 * 1024 * 1024 + 1, 9 * 1024 * 1024, 9 * 1024 * 1024 + 4096, total - 10, total];
    for (let i = 0; i + 1 < cuts.length; i++) await f.write(memory.subarray(base + cuts[i]!, base + cuts[i + 1]!));
    // A write from memory that is not aligned like its offset goes through the page cache.
    const tail = memory.slice(base + 100, base + 100 + 2 * 1024 * 1024 + 1);
    await f.write(tail);
    await f.close();
    const got = readFileSync(join(dir, name));
    const expected = Buffer.concat([memory.subarray(base, base + total), tail]);
    expect(got.length).toBe(expected.length);
    expect(got.equals(expected)).toBe(true);
    if (!direct) expect(f.bytesDirect).toBe(0);
    else if (await directWorksIn(dir)) expect(f.bytesDirect).toBeGreaterThan(8 * 1024 * 1024);
  });

  it('writes small files through the page cache', async () => {
    const sink = dirSink(dir);
    const f = await sink.create('small/one.bin', 1000);
    const bytes = alignedBytes(DIRECT_ALIGN * 600, 3).subarray(0, DIRECT_ALIGN * 600);
    await f.write(bytes);
    await f.close();
    expect(f.bytesDirect).toBe(0);
    expect(readFileSync(join(dir, 'small/one.bin')).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a path that would leave its folder', async () => {
    await expect(dirSink(dir).create('../escape.bin')).rejects.toThrow(/would leave/);
  });
});
