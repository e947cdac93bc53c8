// Kernels: split — scikit-learn's `train_test_split` on a label column: class indices in np.unique order,
// ShuffleSplit and StratifiedShuffleSplit (with `_approximate_mode`), drawing from the legacy RandomState
// of rng.ts. Index arrays are u32 row numbers; the host validates sizes and raises sklearn's errors
// before calling in (see src/core/split.ts). Reference: ../shared/REFERENCE-sklearn.md §1–3.
import { alloc } from "./memory";
import { rng_seed, rng_shuffle_u32, rng_permutation_u32 } from "./rng";

@inline function u32At(ptr: usize, i: usize): u32 {
  return load<u32>(ptr + (i << 2));
}
@inline function setU32(ptr: usize, i: usize, v: u32): void {
  store<u32>(ptr + (i << 2), v);
}

/** Index of `v` in the ascending `classes[0..k)`, or -1. */
function findClass(classes: usize, k: i32, v: f64): i32 {
  let lo = 0;
  let hi = k - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = load<f64>(classes + (<usize>mid << 3));
    if (c < v) lo = mid + 1;
    else if (c > v) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Maps float64 labels to class indices in np.unique order (ascending numeric). Writes the distinct
 * values to `classes` (capacity `maxClasses`) and each row's class to `outIdx`. Returns the number of
 * classes, -1 when there are more than `maxClasses`, -2 when a label is NaN.
 */
export function split_label_classes(labels: usize, n: u32, outIdx: usize, classes: usize, maxClasses: u32): i32 {
  let k = 0;
  let lastValue: f64 = NaN;
  let lastIndex = -1;
  // Pass 1: the sorted distinct values (insertion into a small sorted list; labels repeat a lot).
  for (let i: usize = 0; i < <usize>n; i++) {
    const v = load<f64>(labels + (i << 3));
    if (v != v) return -2;
    if (v == lastValue) continue;
    let at = findClass(classes, k, v);
    if (at < 0) {
      if (<u32>k >= maxClasses) return -1;
      let p = k;
      while (p > 0 && load<f64>(classes + (<usize>(p - 1) << 3)) > v) {
        store<f64>(classes + (<usize>p << 3), load<f64>(classes + (<usize>(p - 1) << 3)));
        p--;
      }
      store<f64>(classes + (<usize>p << 3), v);
      k++;
    }
    lastValue = v;
  }
  // Pass 2: each row's class index (the list no longer changes).
  lastValue = NaN;
  for (let i: usize = 0; i < <usize>n; i++) {
    const v = load<f64>(labels + (i << 3));
    if (v != lastValue) {
      lastIndex = findClass(classes, k, v);
      lastValue = v;
    }
    setU32(outIdx, i, <u32>lastIndex);
  }
  return k;
}

/** counts[c] = number of rows with class c (np.bincount of the class indices). */
export function split_class_counts(yIdx: usize, n: u32, k: u32, outCounts: usize): void {
  for (let c: usize = 0; c < <usize>k; c++) setU32(outCounts, c, 0);
  for (let i: usize = 0; i < <usize>n; i++) {
    const c = <usize>u32At(yIdx, i);
    setU32(outCounts, c, u32At(outCounts, c) + 1);
  }
}

/** counts[c] = number of `rows[i]` whose class `yIdx[rows[i]]` is c. */
export function split_class_counts_at(yIdx: usize, rows: usize, n: u32, k: u32, outCounts: usize): void {
  for (let c: usize = 0; c < <usize>k; c++) setU32(outCounts, c, 0);
  for (let i: usize = 0; i < <usize>n; i++) {
    const c = <usize>u32At(yIdx, <usize>u32At(rows, i));
    setU32(outCounts, c, u32At(outCounts, c) + 1);
  }
}

/** out[i] = src[idx[i]] for u32 arrays. */
export function split_gather_u32(src: usize, idx: usize, n: u32, out: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) setU32(out, i, u32At(src, <usize>u32At(idx, i)));
}

/**
 * A split's label and index files: lab[i] = labels[rows[i]] (f32 per input row), idx[i] = rows[i] as a
 * little-endian int64.
 */
export function split_gather_outputs(labels: usize, rows: usize, n: u32, lab: usize, idx: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const r = u32At(rows, i);
    store<f32>(lab + (i << 2), load<f32>(labels + (<usize>r << 2)));
    store<u64>(idx + (i << 3), <u64>r);
  }
}

/** ptr[i] = table[ptr[i]] (renumbers classes after a stage drops one). */
export function split_remap_u32(ptr: usize, n: u32, table: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) setU32(ptr, i, u32At(table, <usize>u32At(ptr, i)));
}

/** Seeds a fresh RandomState(seed) and writes permutation(n) to `out` (ShuffleSplit: test = out[0:nTest]). */
export function split_shuffled(seed: u32, n: u32, out: usize): void {
  rng_seed(seed);
  rng_permutation_u32(out, n);
}

/**
 * sklearn's `_approximate_mode(counts, nDraws, rng)`: floor of each class's continuous share, then the
 * remaining draws go to the largest remainders; ties are broken by `choice(inds, add, replace=False)`,
 * which draws a full permutation of the tie group. Float operation order is part of the contract.
 */
function approximateMode(counts: usize, k: u32, nDraws: u32, out: usize): void {
  const kk = <usize>k;
  const cont = alloc(kk << 3);
  const rem = alloc(kk << 3);
  const inds = alloc(kk << 2);
  const perm = alloc(kk << 2);
  let total: f64 = 0;
  for (let c: usize = 0; c < kk; c++) total += <f64>u32At(counts, c);
  let floorSum: f64 = 0;
  for (let c: usize = 0; c < kk; c++) {
    const x = (<f64>u32At(counts, c) / total) * <f64>nDraws;
    const f = Math.floor(x);
    store<f64>(cont + (c << 3), x);
    store<f64>(rem + (c << 3), x - f);
    setU32(out, c, <u32>f);
    floorSum += f;
  }
  let need = <i64>(<f64>nDraws - floorSum);
  let prev: f64 = Infinity;
  while (need > 0) {
    // Next distinct remainder, descending.
    let v: f64 = -Infinity;
    let found = false;
    for (let c: usize = 0; c < kk; c++) {
      const r = load<f64>(rem + (c << 3));
      if (r < prev && (!found || r > v)) {
        v = r;
        found = true;
      }
    }
    if (!found) break;
    let m: u32 = 0;
    for (let c: usize = 0; c < kk; c++) {
      if (load<f64>(rem + (c << 3)) == v) {
        setU32(inds, <usize>m, <u32>c);
        m++;
      }
    }
    const add = <i64>m < need ? <i64>m : need;
    rng_permutation_u32(perm, m);
    for (let j: usize = 0; j < <usize>add; j++) {
      const c = <usize>u32At(inds, <usize>u32At(perm, j));
      setU32(out, c, u32At(out, c) + 1);
    }
    need -= add;
    prev = v;
  }
}

/**
 * StratifiedShuffleSplit's first split with a fresh RandomState(seed): `yIdx` class per row (0..k-1),
 * `counts` per class. Writes nTrain row numbers to `outTrain` and nTest to `outTest`, both in sklearn's
 * final (permuted) order, and the rows per class of each to `trainCounts` and `testCounts` (k u32
 * each). Scratch comes from the arena.
 */
export function split_stratified(seed: u32, yIdx: usize, n: u32, k: u32, counts: usize, nTrain: u32, nTest: u32, outTrain: usize, outTest: usize, trainCounts: usize, testCounts: usize): void {
  const kk = <usize>k;
  const classRows = alloc(<usize>n << 2);
  const cursor = alloc((kk + 1) << 2);
  let acc: u32 = 0;
  for (let c: usize = 0; c < kk; c++) {
    setU32(cursor, c, acc);
    acc += u32At(counts, c);
  }
  // Stable counting sort by class == argsort(kind="mergesort") split per class.
  for (let i: usize = 0; i < <usize>n; i++) {
    const c = <usize>u32At(yIdx, i);
    const at = u32At(cursor, c);
    setU32(classRows, <usize>at, <u32>i);
    setU32(cursor, c, at + 1);
  }
  rng_seed(seed);
  const nI = alloc(kk << 2);
  const rest = alloc(kk << 2);
  const tI = alloc(kk << 2);
  approximateMode(counts, k, nTrain, nI);
  for (let c: usize = 0; c < kk; c++) setU32(rest, c, u32At(counts, c) - u32At(nI, c));
  approximateMode(rest, k, nTest, tI);
  memory.copy(trainCounts, nI, kk << 2);
  memory.copy(testCounts, tI, kk << 2);
  let start: usize = 0;
  let tr: usize = 0;
  let te: usize = 0;
  for (let c: usize = 0; c < kk; c++) {
    const cnt = <usize>u32At(counts, c);
    const seg = classRows + (start << 2);
    // class_indices[c][permutation(cnt)] == shuffling the segment in place (same swaps, same draws).
    rng_shuffle_u32(seg, <u32>cnt);
    const a = <usize>u32At(nI, c);
    const b = <usize>u32At(tI, c);
    memory.copy(outTrain + (tr << 2), seg, a << 2);
    memory.copy(outTest + (te << 2), seg + (a << 2), b << 2);
    tr += a;
    te += b;
    start += cnt;
  }
  rng_shuffle_u32(outTrain, <u32>tr);
  rng_shuffle_u32(outTest, <u32>te);
}
