// The prepare job's leakage count on a second thread (Node only; see leakage-thread.ts), which also
// selects the order statistics of columns the fit hands over. Plain JavaScript so that a worker_threads
// Worker runs it without the TypeScript loader. workerData: { module } (the compiled kernels). Messages are
// answered in order: { op: 'ping' } → { op: 'pong' } (the thread is up), selections (below), and one leakage message:
//   { hashes (ArrayBuffer: u64 per input row), dest (ArrayBuffer: u32 output row per input row), n, b1, b2, max }
//   → { counts: number[6], keys: [ArrayBuffer, ArrayBuffer, ArrayBuffer] } (see tf_leakage), or { error }.
import { parentPort, workerData } from 'node:worker_threads';

const instance = await WebAssembly.instantiate(workerData.module, {});
const e = instance.exports;
const alloc = (bytes) => {
  const ptr = e.alloc(bytes) >>> 0;
  if (ptr === 0 && bytes > 0) throw new RangeError(`WebAssembly memory could not grow by ${Math.round(bytes / 2 ** 20)} MiB.`);
  return ptr;
};

const RADIX_BINS = 65536;

/**
 * { op: 'select', id, values (ArrayBuffer: m float32, NaN-free), m, ranks: number[] (sorted, distinct) }
 * → { op: 'selected', id, vals: number[], positiveZero, values (the same buffer, back) } — tf_select_ranks_f32 as src/core/preprocess.ts
 * select() runs it, for a column the job's thread hands over (see prepare-fit.ts).
 */
function selectRanks(m) {
  e.resetArena();
  const k = m.ranks.length;
  const values = alloc(Math.max(1, m.m) * 4);
  new Uint8Array(e.memory.buffer, values, m.m * 4).set(new Uint8Array(m.values, 0, m.m * 4));
  const hist = alloc(RADIX_BINS * 4);
  const slots = alloc(RADIX_BINS * 4);
  const buf = alloc(Math.max(1, m.m) * 4);
  const bucket = alloc(Math.max(1, k) * 8);
  const ranks = alloc(Math.max(1, k) * 4);
  const out = alloc(Math.max(1, k) * 8);
  new Uint32Array(e.memory.buffer, ranks, k).set(m.ranks);
  e.tf_select_ranks_f32(values, m.m, ranks, k, out, hist, slots, buf, bucket);
  const vals = Array.from(new Float64Array(e.memory.buffer, out, k));
  const positiveZero = !vals.some((v) => v === 0) || e.tf_has_positive_zero(values, m.m, 1) === 1;
  // The values' buffer goes back with the answer, to carry the next column.
  return { op: 'selected', id: m.id, vals, positiveZero, values: m.values };
}

parentPort.on('message', (m) => {
  if (m.op === 'ping') return parentPort.postMessage({ op: 'pong' });
  // Buffers handed over to be dropped with this thread's memory (see LeakageThread.discard).
  if (m.op === 'discard') return;
  if (m.op === 'select') {
    try {
      parentPort.postMessage(selectRanks(m), [m.values]);
    } catch (err) {
      parentPort.postMessage({ op: 'selected', id: m.id, error: err instanceof Error ? err.message : String(err), values: m.values }, [m.values]);
    }
    return;
  }
  try {
    e.resetArena();
    const n = m.n;
    const hashes = alloc(Math.max(1, n) * 8);
    const dest = alloc(Math.max(1, n) * 4);
    new Uint8Array(e.memory.buffer, hashes, n * 8).set(new Uint8Array(m.hashes, 0, n * 8));
    new Uint8Array(e.memory.buffer, dest, n * 4).set(new Uint8Array(m.dest, 0, n * 4));
    const scratch = alloc(e.tf_leakage_scratch_bytes(n) >>> 0);
    const out = alloc(6 * 4);
    const keys = [alloc(m.max * 8), alloc(m.max * 8), alloc(m.max * 8)];
    e.tf_leakage(hashes, dest, n, m.b1, m.b2, scratch, out, keys[0], keys[1], keys[2], m.max);
    const counts = Array.from(new Uint32Array(e.memory.buffer, out, 6));
    const lists = keys.map((p, i) => new BigUint64Array(e.memory.buffer, p, Math.min(counts[3 + i], m.max)).slice().buffer);
    parentPort.postMessage({ counts, keys: lists }, lists);
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
