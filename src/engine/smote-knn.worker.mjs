// One half of SMOTE's parallel neighbour search (Node only; see smote-threads.ts). Plain JavaScript so
// that a worker_threads Worker runs it without the TypeScript loader.
// workerData: { module (the compiled kernels), rows (SharedArrayBuffer, m × d f64), m, d, K,
//   squaredDifferences, counters (SharedArrayBuffer of Int32: [next block, tiles done, stop]) }.
// It takes row blocks from the shared counter until none are left, pushing every pair of its tiles into
// its own heaps (one per row, K slots), and replies { vals, idx, ties } (transferred buffers; ties: the
// lowest heap root at which each row met a boundary tie, see assembly/smote.ts).
import { parentPort, workerData } from 'node:worker_threads';

const { module, rows, m, d, K, squaredDifferences, counters } = workerData;
const shared = new Int32Array(counters);
const instance = await WebAssembly.instantiate(module, {});
const e = instance.exports;
const alloc = (bytes) => {
  const ptr = e.alloc(bytes) >>> 0;
  if (ptr === 0 && bytes > 0) throw new RangeError(`WebAssembly memory could not grow by ${bytes} bytes.`);
  return ptr;
};

const mp = e.smote_padded_rows(m);
const blockRows = e.SMOTE_BLOCK_ROWS.value;
const blocks = Math.ceil(mp / blockRows);
const xPtr = alloc(mp * d * 8);
const panelPtr = alloc(mp * d * 8);
const nrmPtr = alloc(mp * 8);
const ownerPtr = alloc(mp * 4);
const valsPtr = alloc(m * K * 8);
const idxPtr = alloc(m * K * 4);
const tiesPtr = alloc(m * 8);
const x = new Float64Array(e.memory.buffer, xPtr, mp * d);
x.set(new Float64Array(rows, 0, m * d));
x.fill(0, m * d);
new Int32Array(e.memory.buffer, ownerPtr, mp).fill(0);
new Float64Array(e.memory.buffer, tiesPtr, m).fill(Infinity);
e.smote_norms(xPtr, mp, d, nrmPtr);
e.smote_pack(xPtr, mp, d, panelPtr);
e.smote_heaps_init(valsPtr, idxPtr, m * K);

for (;;) {
  if (Atomics.load(shared, 2) !== 0) break;
  const b = Atomics.add(shared, 0, 1);
  if (b >= blocks) break;
  e.smote_knn_block(xPtr, panelPtr, nrmPtr, ownerPtr, m, d, K, 1, valsPtr, idxPtr, b, squaredDifferences ? 1 : 0, tiesPtr);
  Atomics.add(shared, 1, blocks - b);
}

const vals = new Float64Array(e.memory.buffer, valsPtr, m * K).slice();
const idx = new Int32Array(e.memory.buffer, idxPtr, m * K).slice();
const ties = new Float64Array(e.memory.buffer, tiesPtr, m).slice();
parentPort.postMessage({ vals, idx, ties }, [vals.buffer, idx.buffer, ties.buffer]);
