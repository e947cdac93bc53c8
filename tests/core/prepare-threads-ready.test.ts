/**
 * The prepare job's helper threads answer `ready()` once they are up, also when they are spares that do
 * not keep the process alive, and at once when they have stopped (a closed thread must not hang the
 * caller). preloadPrepare({ threads: true }) waits for both (src/engine/prepare.ts), so a job timed after
 * it does not pay for their start-up.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LeakageThread } from '../../src/engine/leakage-thread';
import { ThreadHasher } from '../../src/engine/node-hasher';
import { preloadPrepare } from '../../src/engine/prepare';
import { kernelModule } from '../../src/engine/wasm';

describe('helper threads ready()', () => {
  it('the hashing thread answers while unref\'d, then still hashes; a closed one answers at once', async () => {
    const t = new ThreadHasher();
    t.keepAlive(false);
    await t.ready();
    expect(t.healthy).toBe(true);
    const h = t.open();
    const bytes = new TextEncoder().encode('prospectivity');
    await h.update(bytes);
    expect(await h.digestHex()).toBe(createHash('sha256').update(bytes).digest('hex'));
    await t.close();
    expect(t.healthy).toBe(false);
    await t.ready();
  });

  it('the leakage thread answers once its kernels are instantiated, then still selects; a closed one answers at once', async () => {
    const t = LeakageThread.start(await kernelModule());
    t.keepAlive(false);
    await t.ready();
    expect(t.healthy).toBe(true);
    const values = Float32Array.from([5, 1, 4, 2, 3]);
    const r = await t.select(values, 5, [0, 2, 4]);
    expect(r.vals).toEqual([1, 3, 5]);
    await t.close();
    expect(t.healthy).toBe(false);
    await t.ready();
  });

  it('preloadPrepare with threads resolves once both spares answer', async () => {
    await expect(preloadPrepare({ threads: true })).resolves.toBeUndefined();
  });
});
