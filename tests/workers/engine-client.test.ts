/**
 * The page's engine client over a comlink channel: progress, cooperative cancel, termination of a worker
 * that ignores the cancel (and a fresh worker afterwards), errors crossing intact, and no promise left
 * hanging when a worker dies. The host here is makeEngineHost around a scripted engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient } from '../../src/workers/engine.client';
import { makeEngineHost, type PreparedStore } from '../../src/workers/engine.host';
import type { EngineApi } from '../../src/workers/engine.api';
import { WorkbenchError, abortError, isAbortError } from '../../src/core/errors';
import type { JobOptions, Progress } from '../../src/core/progress';
import { fakeWorker, type FakeWorker } from './fake-worker';

const noStore: PreparedStore = {
  begin: () => Promise.reject(new Error('no store in this test')),
  load: async () => null,
  clear: async () => {},
  openFile: () => Promise.reject(new Error('no store in this test')),
};

/** An engine whose `report` streams `windows` steps, checking the signal between them (or not, when stuck). */
function scriptedEngine(behaviour: { windows?: number; stuck?: boolean; fail?: unknown }): EngineApi {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  return {
    info: async () => ({ version: 'test', flavour: 'scalar' }),
    inspect: async (ref) => {
      if (behaviour.fail) throw behaviour.fail;
      return [{ name: ref.kind === 'bytes' ? ref.name : 'x' } as never];
    },
    report: async (_req, opts?: JobOptions) => {
      if (behaviour.fail) throw behaviour.fail;
      const total = behaviour.windows ?? 5;
      for (let i = 0; i < total; i++) {
        if (!behaviour.stuck && opts?.signal?.aborted) throw abortError();
        await sleep(behaviour.stuck ? 10_000 : 20);
        opts?.onProgress?.({ phase: 'scan', done: i + 1, total });
      }
      return { n_samples: total } as never;
    },
    prepare: async () => {
      throw new Error('not used');
    },
    sha256: async () => 'ab',
  };
}

const workers: FakeWorker[] = [];
afterEach(() => {
  for (const w of workers.splice(0)) if (!w.terminated) w.terminate();
});

function clientFor(engine: () => EngineApi, cancelGraceMs = 200): EngineClient {
  return new EngineClient(
    () => {
      const w = fakeWorker(makeEngineHost(engine(), noStore));
      workers.push(w);
      return w;
    },
    { cancelGraceMs },
  );
}

describe('EngineClient', () => {
  it('reports progress through a proxied callback and resolves with the plain result', async () => {
    const client = clientFor(() => scriptedEngine({ windows: 3 }));
    const seen: Progress[] = [];
    const result = await client.report({} as never, { onProgress: (p) => seen.push(p) });
    expect(result).toEqual({ n_samples: 3 });
    // Throttled to ~100 ms, but the final step always gets through.
    await new Promise((r) => setTimeout(r, 20));
    expect(seen.at(-1)).toEqual({ phase: 'scan', done: 3, total: 3 });
  });

  it('a cooperative cancel rejects with AbortError and keeps the same worker', async () => {
    const client = clientFor(() => scriptedEngine({ windows: 1000 }));
    const controller = new AbortController();
    const job = client.report({} as never, { signal: controller.signal });
    setTimeout(() => controller.abort(), 60);
    const err = await job.catch((e) => e);
    expect(isAbortError(err)).toBe(true);
    expect(client.workersStarted).toBe(1);
    expect(workers[0]!.terminated).toBe(false);
    expect(await client.info()).toEqual({ version: 'test', flavour: 'scalar' });
    expect(client.workersStarted).toBe(1);
  });

  it('a worker that ignores the cancel is terminated after the grace period; the next call gets a fresh worker', async () => {
    let built = 0;
    const client = clientFor(() => scriptedEngine({ windows: 5, stuck: built++ === 0 }), 150);
    const controller = new AbortController();
    const job = client.report({} as never, { signal: controller.signal });
    // A second call pending on the same worker must not hang when it is terminated.
    const other = client.report({} as never);
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 30);
    const [err, otherErr] = await Promise.all([job.catch((e) => e), other.catch((e) => e)]);
    expect(isAbortError(err)).toBe(true);
    expect(isAbortError(otherErr)).toBe(true);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(workers[0]!.terminated).toBe(true);
    const again = await client.report({} as never);
    expect(again).toEqual({ n_samples: 5 });
    expect(client.workersStarted).toBe(2);
  });

  it('an already aborted signal rejects at once without starting a worker', async () => {
    const client = clientFor(() => scriptedEngine({}));
    const controller = new AbortController();
    controller.abort();
    await expect(client.report({} as never, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(client.workersStarted).toBe(0);
  });

  it('a WorkbenchError crosses with its code, message and file', async () => {
    const client = clientFor(() =>
      scriptedEngine({ fail: new WorkbenchError('NPY_BAD_MAGIC', 'evil.npy: not a .npy file (bad magic).', 'evil.npy') }),
    );
    const err = await client.inspect({ kind: 'bytes', bytes: new Uint8Array(4), name: 'evil.npy' }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err).toMatchObject({ code: 'NPY_BAD_MAGIC', message: 'evil.npy: not a .npy file (bad magic).', file: 'evil.npy' });
    const err2 = await client.report({} as never).catch((e) => e);
    expect(err2).toBeInstanceOf(WorkbenchError);
    expect(err2.code).toBe('NPY_BAD_MAGIC');
  });

  it('an AbortError thrown in the worker arrives as an AbortError', async () => {
    const client = clientFor(() => scriptedEngine({ fail: abortError('The report') }));
    const err = await client.report({} as never).catch((e) => e);
    expect(err.name).toBe('AbortError');
    expect(err.message).toBe('The report was cancelled.');
  });

  it('a worker that dies rejects every pending call with a WorkbenchError and is replaced', async () => {
    const client = clientFor(() => scriptedEngine({ windows: 1000 }));
    const a = client.report({} as never);
    const b = client.report({} as never);
    await new Promise((r) => setTimeout(r, 30));
    workers[0]!.crash('out of memory');
    const [ea, eb] = await Promise.all([a.catch((e) => e), b.catch((e) => e)]);
    for (const e of [ea, eb]) {
      expect(e).toBeInstanceOf(WorkbenchError);
      expect(e.code).toBe('INTERNAL');
      expect(e.message).toContain('out of memory');
    }
    expect(workers[0]!.terminated).toBe(true);
    expect(await client.info()).toMatchObject({ version: 'test' });
    expect(client.workersStarted).toBe(2);
  });

  it('terminate() rejects pending calls with AbortError', async () => {
    const client = clientFor(() => scriptedEngine({ windows: 1000 }));
    const a = client.report({} as never);
    await new Promise((r) => setTimeout(r, 10));
    client.terminate();
    expect(isAbortError(await a.catch((e) => e))).toBe(true);
  });
});
