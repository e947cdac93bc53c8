import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { createSha256, sha256Source, SHA256_WINDOW_BYTES } from '../../src/engine/sha256';
import { bytesSource } from '../../src/core/source';
import type { Progress } from '../../src/core/progress';

const nodeSha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('WASM SHA-256 against node:crypto', () => {
  it('matches the FIPS 180-4 "abc" vector and the empty string', async () => {
    const h = await createSha256();
    h.update(new TextEncoder().encode('abc'));
    expect(h.digestHex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const empty = await createSha256();
    expect(empty.digestHex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each(['simd', 'scalar'] as const)('%s build: padding edge lengths 0..130 in one update', async (flavour) => {
    for (let n = 0; n <= 130; n++) {
      const data = randomBytes(n);
      const h = await createSha256(flavour);
      h.update(data);
      expect(h.digestHex(), `length ${n}`).toBe(nodeSha(data));
    }
  });

  it.each(['simd', 'scalar'] as const)('%s build: lengths 55/56/63/64/65 fed in random pieces', async (flavour) => {
    for (const n of [55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097]) {
      const data = randomBytes(n);
      const h = await createSha256(flavour);
      for (let off = 0; off < n; ) {
        const step = 1 + Math.floor(Math.random() * 70);
        h.update(data.subarray(off, off + step));
        off += step;
      }
      expect(h.digestHex(), `length ${n}`).toBe(nodeSha(data));
    }
  });

  it('multi-MB input across WASM window boundaries; SIMD and scalar builds agree', async () => {
    const n = 2 * SHA256_WINDOW_BYTES + 12_345;
    const data = randomBytes(n);
    const simd = await createSha256('simd');
    const scalar = await createSha256('scalar');
    // Uneven pieces so that updates straddle both the 64-byte blocks and the copy window.
    for (let off = 0, i = 0; off < n; i++) {
      const step = [1_000_003, 3, 5_000_001, 64, 777][i % 5]!;
      simd.update(data.subarray(off, off + step));
      scalar.update(data.subarray(off, off + step));
      off += step;
    }
    const expected = nodeSha(data);
    expect(simd.digestHex()).toBe(expected);
    expect(scalar.digestHex()).toBe(expected);
  });

  it.each(['simd', 'scalar'] as const)(
    '%s build: many small and odd-size updates (1..200 B, then pieces straddling the 4 MiB window)',
    async (flavour) => {
      const n = 2 * SHA256_WINDOW_BYTES + 300_001;
      const data = randomBytes(n);
      const h = await createSha256(flavour);
      const reference = createHash('sha256');
      let off = 0;
      // 20,000 tiny pieces of every length 1..200 (most calls only append to the window) ...
      for (let i = 0; i < 20_000; i++) {
        const step = 1 + ((i * 37) % 200);
        h.update(data.subarray(off, off + step));
        off += step;
      }
      // ... then odd pieces across the window boundary, an empty update, and the rest.
      for (const step of [0, 65_537, 1, 63, 2_999_999, 0]) {
        h.update(data.subarray(off, off + step));
        off += step;
      }
      h.update(data.subarray(off));
      reference.update(data);
      expect(off).toBeLessThan(n);
      expect(h.digestHex()).toBe(reference.digest('hex'));
    },
  );

  it('hashers on separate instances do not share state (interleaved updates)', async () => {
    const a = randomBytes(300_000);
    const b = randomBytes(200_003);
    const ha = await createSha256();
    const hb = await createSha256();
    for (let off = 0; off < a.length; off += 10_007) {
      ha.update(a.subarray(off, off + 10_007));
      hb.update(b.subarray(off, off + 10_007));
    }
    expect(ha.digestHex()).toBe(nodeSha(a));
    expect(hb.digestHex()).toBe(nodeSha(b));
  });

  it('sha256Source streams a source with byte progress that ends full', async () => {
    const data = randomBytes(SHA256_WINDOW_BYTES * 2 + 99);
    const seen: Progress[] = [];
    const hex = await sha256Source(bytesSource(data, 'x.bin'), { onProgress: (p) => seen.push(p) });
    expect(hex).toBe(nodeSha(data));
    expect(seen.at(-1)).toEqual({ phase: 'sha256', done: data.length, total: data.length });
  });

  it('sha256Source rejects with AbortError when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(sha256Source(bytesSource(randomBytes(10), 'x.bin'), { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
  });

  it('refuses update after digest (a digest is final)', async () => {
    const h = await createSha256();
    h.digestHex();
    expect(() => h.update(new Uint8Array(1))).toThrow(/after digestHex/);
  });
});
