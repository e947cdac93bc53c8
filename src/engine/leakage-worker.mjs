// The prepare job's leakage count on a second thread (Node only; see leakage-thread.ts). Plain
// JavaScript so that a worker_threads Worker runs it without the TypeScript loader: one kernel call.
// workerData: { module } (the compiled kernels). One message:
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

parentPort.on('message', (m) => {
  try {
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
