/**
 * Node-only: SMOTE's neighbour search on two worker_threads (smote-knn.worker.mjs). The row blocks of
 * the symmetric tiling (assembly/smote.ts) are shared out dynamically; each thread pushes its tiles'
 * pairs into its own heaps, in whatever order its blocks come. smote.ts merges the two halves and
 * re-queries, in sklearn's order, the rows whose answer could depend on that order (exact ties).
 * Loaded by a dynamic import so that browser bundles never see node:worker_threads.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { abortError } from '../core/errors';

/** One thread's heaps: K slots per row (values, candidate indices) and per row the lowest root at which it met a boundary tie. */
export interface KnnHalf {
  vals: Float64Array;
  idx: Int32Array;
  ties: Float64Array;
}

/** Cores this process may use (the parallel search runs when there are at least two). */
export function searchCores(): number {
  return availableParallelism();
}

/** How often the waiting thread reports progress and checks for a cancel. */
const POLL_MS = 50;

/**
 * Runs the tiled search of `m` rows (`rows`, m × d f64) on two threads; `onTiles(done, total)` gets
 * progress in tiles. Rejects with the abort error when `signal` fires (the threads are stopped).
 */
export async function knnOnTwoThreads(
  module: WebAssembly.Module,
  minority: Float64Array,
  m: number,
  d: number,
  K: number,
  blocks: number,
  squaredDifferences: boolean,
  onTiles: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<[KnnHalf, KnnHalf]> {
  const rows = new SharedArrayBuffer(m * d * 8);
  new Float64Array(rows).set(minority.subarray(0, m * d));
  const counters = new SharedArrayBuffer(12);
  const shared = new Int32Array(counters);
  const totalTiles = (blocks * (blocks + 1)) / 2;
  const workers = [0, 1].map(
    () =>
      new Worker(new URL('./smote-knn.worker.mjs', import.meta.url), {
        workerData: { module, rows, m, d, K, squaredDifferences, counters },
        execArgv: [], // plain JavaScript: no loader of the parent's (tsx costs ~50 ms per thread)
      }),
  );
  const halves = workers.map(
    (w) =>
      new Promise<KnnHalf>((resolve, reject) => {
        w.once('message', (half: KnnHalf) => resolve(half));
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`a SMOTE search thread stopped early (exit code ${code})`)));
      }),
  );
  let finished = false;
  const all = Promise.all(halves).finally(() => {
    finished = true;
  });
  all.catch(() => undefined);
  try {
    while (!finished) {
      if (signal?.aborted) throw abortError('SMOTE');
      onTiles(Math.min(Atomics.load(shared, 1), totalTiles), totalTiles);
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, POLL_MS))]);
    }
    const [a, b] = await all;
    return [a!, b!];
  } finally {
    Atomics.store(shared, 2, 1);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
