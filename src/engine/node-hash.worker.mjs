// SHA-256 on a second thread (Node only; see node-hasher.ts). Plain JavaScript so that a worker_threads
// Worker runs it without the TypeScript loader. Messages, handled in order:
//   { id, op: 'update', bytes: ArrayBuffer, length }  hash bytes[0, length); the buffer is sent back
//   { id, op: 'file', path }                         hash a whole file read from disk
//   { id, op: 'digest' }                             reply { op: 'digest', id, hex } (or { op: 'error' })
// It also runs two kernels for the prepare job while it has nothing to hash (workerData.module: the
// compiled kernels), replying { op: 'kernel', id, result } or { op: 'kernel', id, error }:
//   { id, op: 'kernel', task: 'leakage', hashes, dest (ArrayBuffers), n, b1, b2, max }
//       result { counts: number[6], keys: ArrayBuffer[3] } (see tf_leakage)
//   { id, op: 'kernel', task: 'select', values (ArrayBuffer: m float32 without NaN), m, ranks (sorted) }
//       result { vals: Float64Array, positiveZero: boolean | null } (null: no zero was selected)
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

// Small reads: the file streams through the shared L3 cache once instead of 8 MB at a time, so the
// main thread's working set (the split's shuffles) is evicted less.
const READ_BYTES = 1024 * 1024;
const hashes = new Map();
const failures = new Map();
let readBuffer = null;

function hashOf(id) {
  let h = hashes.get(id);
  if (!h) {
    h = createHash('sha256');
    hashes.set(id, h);
  }
  return h;
}

function hashFile(h, path) {
  readBuffer ??= Buffer.allocUnsafe(READ_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const got = readSync(fd, readBuffer, 0, READ_BYTES, null);
      if (got === 0) break;
      h.update(readBuffer.subarray(0, got));
    }
  } finally {
    closeSync(fd);
  }
}

let kernels = null;

/** The kernels' exports, instantiated on first use; every task starts a fresh arena. */
function kernelsFor() {
  if (!kernels) {
    if (!workerData?.module) throw new Error('this hashing thread has no kernels');
    kernels = new WebAssembly.Instance(workerData.module, {}).exports;
  }
  kernels.resetArena();
  return kernels;
}

function alloc(e, bytes) {
  const ptr = e.alloc(bytes) >>> 0;
  if (ptr === 0 && bytes > 0) throw new RangeError(`WebAssembly memory could not grow by ${Math.round(bytes / 2 ** 20)} MiB.`);
  return ptr;
}

function copyIn(e, buffer, bytes) {
  const ptr = alloc(e, Math.max(1, bytes));
  new Uint8Array(e.memory.buffer, ptr, bytes).set(new Uint8Array(buffer, 0, bytes));
  return ptr;
}

function leakage(m) {
  const e = kernelsFor();
  const hashes = copyIn(e, m.hashes, m.n * 8);
  const dest = copyIn(e, m.dest, m.n * 4);
  const scratch = alloc(e, e.tf_leakage_scratch_bytes(m.n) >>> 0);
  const out = alloc(e, 6 * 4);
  const keys = [alloc(e, m.max * 8), alloc(e, m.max * 8), alloc(e, m.max * 8)];
  e.tf_leakage(hashes, dest, m.n, m.b1, m.b2, scratch, out, keys[0], keys[1], keys[2], m.max);
  const counts = Array.from(new Uint32Array(e.memory.buffer, out, 6));
  const lists = keys.map((p, i) => new BigUint64Array(e.memory.buffer, p, Math.min(counts[3 + i], m.max)).slice().buffer);
  return [{ counts, keys: lists }, lists];
}

function select(m) {
  const e = kernelsFor();
  const k = m.ranks.length;
  const values = copyIn(e, m.values, m.m * 4);
  const ranks = alloc(e, Math.max(1, k) * 4);
  new Uint32Array(e.memory.buffer, ranks, k).set(m.ranks);
  const out = alloc(e, Math.max(1, k) * 8);
  const hist = alloc(e, 65536 * 4);
  const slots = alloc(e, 65536 * 4);
  const bucket = alloc(e, Math.max(1, k) * 8);
  const buf = alloc(e, Math.max(1, m.m) * 8);
  if (k > 0) e.tf_select_ranks_f32(values, m.m, ranks, k, out, hist, slots, buf, bucket);
  const vals = new Float64Array(e.memory.buffer, out, k).slice();
  const positiveZero = vals.some((v) => v === 0) ? e.tf_has_positive_zero(values, m.m, 1) === 1 : null;
  return [{ vals, positiveZero }, [vals.buffer]];
}

parentPort.on('message', (m) => {
  if (m.op === 'kernel') {
    try {
      const [result, transfer] = m.task === 'leakage' ? leakage(m) : select(m);
      parentPort.postMessage({ op: 'kernel', id: m.id, result }, transfer);
    } catch (e) {
      parentPort.postMessage({ op: 'kernel', id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
    return;
  }
  try {
    if (m.op === 'digest') {
      const failure = failures.get(m.id);
      if (failure) parentPort.postMessage({ op: 'error', id: m.id, message: failure });
      else parentPort.postMessage({ op: 'digest', id: m.id, hex: hashOf(m.id).digest('hex') });
      hashes.delete(m.id);
      failures.delete(m.id);
    } else if (!failures.has(m.id)) {
      if (m.op === 'update') hashOf(m.id).update(new Uint8Array(m.bytes, 0, m.length));
      else if (m.op === 'file') hashFile(hashOf(m.id), m.path);
    }
  } catch (e) {
    failures.set(m.id, e instanceof Error ? e.message : String(e));
  } finally {
    // The pooled buffer always goes back, whatever happened to its bytes.
    if (m.op === 'update') parentPort.postMessage({ op: 'returned', bytes: m.bytes }, [m.bytes]);
  }
});
