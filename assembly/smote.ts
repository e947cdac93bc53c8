// Kernels: smote — exact k nearest minority neighbours by brute force, then imbalanced-learn's SMOTE
// draws and interpolation (see src/engine/smote.ts for the host side and the parity rules).
//
// Neighbours. The rank value of a pair is (|a|² + |b|²) − 2·a·b, the form sklearn's brute-force search
// uses (so integer-valued data ties exactly where sklearn's does), or Σ(a − b)² where sklearn would use
// its KD-tree (exact differences: no cancellation for data far from the origin). The value of a pair is
// computed once, so it is symmetric, and exact duplicates (self included) tie at exactly 0.
// Every dot product and every norm is a plain left-to-right sum over the features (s += a[t]*b[t]); the
// SIMD body keeps that order per lane (two candidates per v128), so both builds give identical values.
//
// The distance matrix is symmetric, so each pair of row blocks (I ≤ J) is computed once and pushed to
// the heaps of both blocks. Candidates still reach every row's heap in ascending row order: for a row
// in block J, block I's candidates arrive while the outer loop is at I, i.e. in order of I.
//
// Tie order. The heaps reproduce scikit-learn 1.2's brute-force ArgKmin exactly: its `heap_push` (a
// max-heap of k+1 slots filled in ascending candidate order, a candidate equal to the root is
// rejected), optionally one heap per OpenMP thread over 256-row candidate chunks merged in thread
// order (its parallel-on-Y strategy), and its `simultaneous_sort` quicksort. With no exact ties any
// correct selection gives the same order. Where sklearn would use its KD-tree, whose tie order follows
// the tree, rows that meet a tie at or inside the k-th place are flagged and the host re-queries them
// through a copy of that tree (src/engine/smote-kdtree.ts).
//
// Two threads (Node): each runs smote_knn_block on its share of the row blocks into its own heaps, so a
// row's candidates arrive out of order; smote_knn_merge takes the K smallest of both, which is sklearn's
// answer unless an exact tie touches the K-th place, and flags those rows for smote_knn_rows (sklearn's
// candidate order) or the KD-tree copy.

import { rng_interval, rng_next32 } from "./rng";

/** Rows per block of the symmetric tiling; divides sklearn's 256-row chunk so a block has one owner. */
export const SMOTE_BLOCK_ROWS: i32 = 128;

/** Rows rounded up to whole 4-row micro tiles (the padded row count of the x and panel buffers). */
export function smote_padded_rows(m: i32): i32 {
  return (m + 3) & ~3;
}

/** Writes the squared norm (sequential sum of squares) of each of `rows` rows of `x` to `nrm`. */
export function smote_norms(xPtr: usize, rows: i32, d: i32, nrmPtr: usize): void {
  for (let i = 0; i < rows; i++) {
    const row = xPtr + ((<usize>i * d) << 3);
    let s: f64 = 0;
    for (let t = 0; t < d; t++) {
      const a = load<f64>(row + (<usize>t << 3));
      s += a * a;
    }
    store<f64>(nrmPtr + (<usize>i << 3), s);
  }
}

/** Packs `rows` (a multiple of 4) rows of `x` into 4-row panels, feature-major: panel p, feature t, lane c. */
export function smote_pack(xPtr: usize, rows: i32, d: i32, panelPtr: usize): void {
  for (let p = 0; p < rows; p += 4) {
    const out = panelPtr + ((<usize>p * d) << 3);
    for (let t = 0; t < d; t++) {
      for (let c = 0; c < 4; c++) {
        store<f64>(out + ((<usize>(t * 4 + c)) << 3), load<f64>(xPtr + ((<usize>(p + c) * d + t) << 3)));
      }
    }
  }
}

/** Fills `count` heap slots with (+inf, 0), sklearn's empty heap. */
export function smote_heaps_init(valsPtr: usize, idxPtr: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    store<f64>(valsPtr + (<usize>i << 3), Infinity);
    store<i32>(idxPtr + (<usize>i << 2), 0);
  }
}

// sklearn.utils._heap.heap_push: replace the root of a max-heap of `size` and sift down. Returns true
// when the evicted root was finite and the new root equals it (a kept value ties an evicted one).
function heapPush(vals: usize, idx: usize, size: i32, val: f64, j: i32): bool {
  const evicted = load<f64>(vals);
  if (val >= evicted) return false;
  let cur = 0;
  while (true) {
    const left = 2 * cur + 1;
    const right = left + 1;
    let swap: i32 = 0;
    if (left >= size) break;
    const lv = load<f64>(vals + (<usize>left << 3));
    if (right >= size) {
      if (lv > val) swap = left;
      else break;
    } else {
      const rv = load<f64>(vals + (<usize>right << 3));
      if (lv >= rv) {
        if (val < lv) swap = left;
        else break;
      } else {
        if (val < rv) swap = right;
        else break;
      }
    }
    store<f64>(vals + (<usize>cur << 3), load<f64>(vals + (<usize>swap << 3)));
    store<i32>(idx + (<usize>cur << 2), load<i32>(idx + (<usize>swap << 2)));
    cur = swap;
  }
  store<f64>(vals + (<usize>cur << 3), val);
  store<i32>(idx + (<usize>cur << 2), j);
  return evicted != Infinity && load<f64>(vals) == evicted;
}

// Offers candidate j to a heap; true when it meets a tie at the heap's boundary (equal to the root, or
// evicting a value another kept value equals). Such rows may order differently under sklearn's KD-tree.
@inline
function offer(vals: usize, idx: usize, size: i32, val: f64, j: i32): bool {
  const root = load<f64>(vals);
  if (val > root) return false;
  if (val == root) return true;
  return heapPush(vals, idx, size, val, j);
}

@inline
function dualSwap(vals: usize, idx: usize, a: i32, b: i32): void {
  const pa = vals + (<usize>a << 3);
  const pb = vals + (<usize>b << 3);
  const v = load<f64>(pa);
  store<f64>(pa, load<f64>(pb));
  store<f64>(pb, v);
  const qa = idx + (<usize>a << 2);
  const qb = idx + (<usize>b << 2);
  const k = load<i32>(qa);
  store<i32>(qa, load<i32>(qb));
  store<i32>(qb, k);
}

@inline
function at(vals: usize, i: i32): f64 {
  return load<f64>(vals + (<usize>i << 3));
}

// sklearn.utils._sorting.simultaneous_sort: median-of-three quicksort, not stable; ties keep sklearn's order.
function simultaneousSort(vals: usize, idx: usize, size: i32): void {
  if (size <= 1) return;
  if (size == 2) {
    if (at(vals, 0) > at(vals, 1)) dualSwap(vals, idx, 0, 1);
  } else if (size == 3) {
    if (at(vals, 0) > at(vals, 1)) dualSwap(vals, idx, 0, 1);
    if (at(vals, 1) > at(vals, 2)) {
      dualSwap(vals, idx, 1, 2);
      if (at(vals, 0) > at(vals, 1)) dualSwap(vals, idx, 0, 1);
    }
  } else {
    const mid = size >> 1;
    const last = size - 1;
    if (at(vals, 0) > at(vals, last)) dualSwap(vals, idx, 0, last);
    if (at(vals, last) > at(vals, mid)) {
      dualSwap(vals, idx, last, mid);
      if (at(vals, 0) > at(vals, last)) dualSwap(vals, idx, 0, last);
    }
    const pivot = at(vals, last);
    let store_ = 0;
    for (let i = 0; i < last; i++) {
      if (at(vals, i) < pivot) {
        dualSwap(vals, idx, i, store_);
        store_++;
      }
    }
    dualSwap(vals, idx, store_, last);
    if (store_ > 1) simultaneousSort(vals, idx, store_);
    if (store_ + 2 < size) {
      simultaneousSort(vals + (<usize>(store_ + 1) << 3), idx + (<usize>(store_ + 1) << 2), size - store_ - 1);
    }
  }
}

// Heap of row `row` for candidates owned by thread `owner`: heaps are (row, owner)-major, K slots each.
@inline
function heapSlot(row: i32, owner: i32, threads: i32, K: i32): usize {
  return <usize>(row * threads + owner) * K;
}

/**
 * Computes row block `blockI` (SMOTE_BLOCK_ROWS rows of the padded m) against blocks J ≥ I and pushes
 * every pair into the heaps of both rows. `x` is padded to whole micro tiles with zero rows;
 * `panel` is smote_pack of x; `nrm` its norms; `owner[j]` the sklearn thread owning candidate j.
 * `squaredDifferences` ranks by Σ(a − b)² (sklearn's KD-tree, used for d ≤ 15) instead of the
 * dot-product form of its brute-force search. `ties[row]` (f64, +inf to start) keeps the lowest heap
 * root at which the row met a tie at its heap's boundary (see noteTie).
 */
export function smote_knn_block(
  xPtr: usize,
  panelPtr: usize,
  nrmPtr: usize,
  ownerPtr: usize,
  m: i32,
  d: i32,
  K: i32,
  threads: i32,
  valsPtr: usize,
  idxPtr: usize,
  blockI: i32,
  squaredDifferences: bool,
  tiesPtr: usize,
): void {
  const mp = smote_padded_rows(m);
  const i0 = blockI * SMOTE_BLOCK_ROWS;
  const i1 = min(i0 + SMOTE_BLOCK_ROWS, mp);
  for (let j0 = i0; j0 < mp; j0 += SMOTE_BLOCK_ROWS) {
    const j1 = min(j0 + SMOTE_BLOCK_ROWS, mp);
    const diagonal = j0 == i0;
    const ownerI = load<i32>(ownerPtr + (<usize>i0 << 2));
    const ownerJ = load<i32>(ownerPtr + (<usize>j0 << 2));
    for (let i = i0; i < i1; i += 4) {
      for (let j = j0; j < j1; j += 4) {
        if (squaredDifferences) microTileDifferences(xPtr, panelPtr, d, i, j);
        else microTile(xPtr, panelPtr, nrmPtr, d, i, j);
        // Most tiles beat no heap root: skip them with one vector test per side (a filter only —
        // the pushes below re-test every value in order, so both builds push the same values).
        let directNeeded = true;
        let mirroredNeeded = !diagonal;
        if (ASC_FEATURE_SIMD) {
          directNeeded = anyBelowRowRoots(valsPtr, i, m, ownerJ, threads, K);
          if (mirroredNeeded) mirroredNeeded = anyBelowColumnRoots(valsPtr, j, m, ownerI, threads, K);
        }
        // Direct pushes: rows i.. get candidates j..j+3 in ascending order.
        for (let r = 0; r < 4; r++) {
          if (!directNeeded) break;
          const row = i + r;
          if (row >= m) break;
          const slot = heapSlot(row, ownerJ, threads, K);
          const hv = valsPtr + (slot << 3);
          const hi = idxPtr + (slot << 2);
          for (let c = 0; c < 4; c++) {
            const cand = j + c;
            if (cand >= m) break;
            const val = load<f64>(tileValue(r * 4 + c));
            if (offer(hv, hi, K, val, cand)) noteTie(tiesPtr, row, load<f64>(hv));
          }
        }
        if (!mirroredNeeded) continue;
        // Mirrored pushes: rows j.. get candidates i..i+3 in ascending order.
        for (let c = 0; c < 4; c++) {
          const row = j + c;
          if (row >= m) break;
          const slot = heapSlot(row, ownerI, threads, K);
          const hv = valsPtr + (slot << 3);
          const hi = idxPtr + (slot << 2);
          for (let r = 0; r < 4; r++) {
            const cand = i + r;
            if (cand >= m) break;
            const val = load<f64>(tileValue(r * 4 + c));
            if (offer(hv, hi, K, val, cand)) noteTie(tiesPtr, row, load<f64>(hv));
          }
        }
      }
    }
  }
}

// A boundary tie (a candidate equal to the root rejected, or an evicted root equal to the new root) is
// recorded as the root's value then. Roots only fall, so the lowest such value tells whether a dropped
// candidate ties the final K-th value — the only boundary tie that can change the answer; earlier ones
// (two candidates equal to a root that later falls below them) cannot.
@inline
function noteTie(tiesPtr: usize, row: i32, root: f64): void {
  const at_ = tiesPtr + (<usize>row << 3);
  if (root < load<f64>(at_)) store<f64>(at_, root);
}

// Root (largest kept value) of row `row`'s heap for `owner`; −inf past the last row so padding never passes.
@inline
function heapRoot(valsPtr: usize, row: i32, m: i32, owner: i32, threads: i32, K: i32): f64 {
  return row < m ? load<f64>(valsPtr + (heapSlot(row, owner, threads, K) << 3)) : -Infinity;
}

// SIMD filter: does any of rows i..i+3 get a tile value at or below its heap root?
function anyBelowRowRoots(valsPtr: usize, i: i32, m: i32, owner: i32, threads: i32, K: i32): bool {
  let hit = i32x4.splat(0);
  for (let r = 0; r < 4; r++) {
    const root = f64x2.splat(heapRoot(valsPtr, i + r, m, owner, threads, K));
    const a = v128.load(TILE_VALUES + (<usize>r << 5));
    const b = v128.load(TILE_VALUES + (<usize>r << 5), 16);
    hit = v128.or(hit, v128.or(f64x2.le(a, root), f64x2.le(b, root)));
  }
  return v128.any_true(hit);
}

// SIMD filter: does any of rows j..j+3 (the tile's columns) get a tile value at or below its heap root?
function anyBelowColumnRoots(valsPtr: usize, j: i32, m: i32, owner: i32, threads: i32, K: i32): bool {
  let roots01 = f64x2.splat(heapRoot(valsPtr, j, m, owner, threads, K));
  roots01 = f64x2.replace_lane(roots01, 1, heapRoot(valsPtr, j + 1, m, owner, threads, K));
  let roots23 = f64x2.splat(heapRoot(valsPtr, j + 2, m, owner, threads, K));
  roots23 = f64x2.replace_lane(roots23, 1, heapRoot(valsPtr, j + 3, m, owner, threads, K));
  let hit = i32x4.splat(0);
  for (let r = 0; r < 4; r++) {
    const a = v128.load(TILE_VALUES + (<usize>r << 5));
    const b = v128.load(TILE_VALUES + (<usize>r << 5), 16);
    hit = v128.or(hit, v128.or(f64x2.le(a, roots01), f64x2.le(b, roots23)));
  }
  return v128.any_true(hit);
}

// The 4 × 4 rank values of the current micro tile live in a fixed scratch area in static memory.
const TILE_VALUES: usize = memory.data(16 * 8, 16);

@inline
function tileValue(k: i32): usize {
  return TILE_VALUES + (<usize>k << 3);
}

// Rank values (|a|² + |b|²) − 2·a·b of rows i..i+3 against panel candidates j..j+3 into TILE_VALUES.
function microTile(xPtr: usize, panelPtr: usize, nrmPtr: usize, d: i32, i: i32, j: i32): void {
  const x0 = xPtr + ((<usize>i * d) << 3);
  const rowBytes = <usize>d << 3;
  const x1 = x0 + rowBytes;
  const x2 = x1 + rowBytes;
  const x3 = x2 + rowBytes;
  const panel = panelPtr + ((<usize>j * d) << 3);
  if (ASC_FEATURE_SIMD) {
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let a1 = f64x2.splat(0), b1 = f64x2.splat(0);
    let a2 = f64x2.splat(0), b2 = f64x2.splat(0);
    let a3 = f64x2.splat(0), b3 = f64x2.splat(0);
    for (let t = 0; t < d; t++) {
      const p = panel + (<usize>t << 5);
      const y01 = v128.load(p);
      const y23 = v128.load(p, 16);
      const off = <usize>t << 3;
      const s0 = v128.load64_splat(x0 + off);
      const s1 = v128.load64_splat(x1 + off);
      const s2 = v128.load64_splat(x2 + off);
      const s3 = v128.load64_splat(x3 + off);
      a0 = f64x2.add(a0, f64x2.mul(s0, y01));
      b0 = f64x2.add(b0, f64x2.mul(s0, y23));
      a1 = f64x2.add(a1, f64x2.mul(s1, y01));
      b1 = f64x2.add(b1, f64x2.mul(s1, y23));
      a2 = f64x2.add(a2, f64x2.mul(s2, y01));
      b2 = f64x2.add(b2, f64x2.mul(s2, y23));
      a3 = f64x2.add(a3, f64x2.mul(s3, y01));
      b3 = f64x2.add(b3, f64x2.mul(s3, y23));
    }
    const two = f64x2.splat(2);
    const n01 = v128.load(nrmPtr + (<usize>j << 3));
    const n23 = v128.load(nrmPtr + (<usize>j << 3), 16);
    const ni0 = v128.load64_splat(nrmPtr + (<usize>i << 3));
    const ni1 = v128.load64_splat(nrmPtr + (<usize>(i + 1) << 3));
    const ni2 = v128.load64_splat(nrmPtr + (<usize>(i + 2) << 3));
    const ni3 = v128.load64_splat(nrmPtr + (<usize>(i + 3) << 3));
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni0, n01), f64x2.mul(two, a0)));
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni0, n23), f64x2.mul(two, b0)), 16);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni1, n01), f64x2.mul(two, a1)), 32);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni1, n23), f64x2.mul(two, b1)), 48);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni2, n01), f64x2.mul(two, a2)), 64);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni2, n23), f64x2.mul(two, b2)), 80);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni3, n01), f64x2.mul(two, a3)), 96);
    v128.store(TILE_VALUES, f64x2.sub(f64x2.add(ni3, n23), f64x2.mul(two, b3)), 112);
  } else {
    for (let r = 0; r < 4; r++) {
      const xr = x0 + <usize>r * rowBytes;
      const nr = load<f64>(nrmPtr + (<usize>(i + r) << 3));
      for (let c = 0; c < 4; c++) {
        let s: f64 = 0;
        for (let t = 0; t < d; t++) {
          s += load<f64>(xr + (<usize>t << 3)) * load<f64>(panel + ((<usize>(t * 4 + c)) << 3));
        }
        const nc = load<f64>(nrmPtr + (<usize>(j + c) << 3));
        store<f64>(tileValue(r * 4 + c), nr + nc - 2 * s);
      }
    }
  }
}

// Rank values Σ(a − b)² (summed left to right, like sklearn's KD-tree) of rows i..i+3 against panel
// candidates j..j+3 into TILE_VALUES.
function microTileDifferences(xPtr: usize, panelPtr: usize, d: i32, i: i32, j: i32): void {
  const x0 = xPtr + ((<usize>i * d) << 3);
  const rowBytes = <usize>d << 3;
  const panel = panelPtr + ((<usize>j * d) << 3);
  if (ASC_FEATURE_SIMD) {
    // Four rows at once: eight independent accumulator chains keep the adder busy.
    const x1 = x0 + rowBytes;
    const x2 = x1 + rowBytes;
    const x3 = x2 + rowBytes;
    let a0 = f64x2.splat(0), b0 = f64x2.splat(0);
    let a1 = f64x2.splat(0), b1 = f64x2.splat(0);
    let a2 = f64x2.splat(0), b2 = f64x2.splat(0);
    let a3 = f64x2.splat(0), b3 = f64x2.splat(0);
    for (let t = 0; t < d; t++) {
      const p = panel + (<usize>t << 5);
      const y01 = v128.load(p);
      const y23 = v128.load(p, 16);
      const off = <usize>t << 3;
      let s = v128.load64_splat(x0 + off);
      let da = f64x2.sub(s, y01);
      let db = f64x2.sub(s, y23);
      a0 = f64x2.add(a0, f64x2.mul(da, da));
      b0 = f64x2.add(b0, f64x2.mul(db, db));
      s = v128.load64_splat(x1 + off);
      da = f64x2.sub(s, y01);
      db = f64x2.sub(s, y23);
      a1 = f64x2.add(a1, f64x2.mul(da, da));
      b1 = f64x2.add(b1, f64x2.mul(db, db));
      s = v128.load64_splat(x2 + off);
      da = f64x2.sub(s, y01);
      db = f64x2.sub(s, y23);
      a2 = f64x2.add(a2, f64x2.mul(da, da));
      b2 = f64x2.add(b2, f64x2.mul(db, db));
      s = v128.load64_splat(x3 + off);
      da = f64x2.sub(s, y01);
      db = f64x2.sub(s, y23);
      a3 = f64x2.add(a3, f64x2.mul(da, da));
      b3 = f64x2.add(b3, f64x2.mul(db, db));
    }
    v128.store(TILE_VALUES, a0);
    v128.store(TILE_VALUES, b0, 16);
    v128.store(TILE_VALUES, a1, 32);
    v128.store(TILE_VALUES, b1, 48);
    v128.store(TILE_VALUES, a2, 64);
    v128.store(TILE_VALUES, b2, 80);
    v128.store(TILE_VALUES, a3, 96);
    v128.store(TILE_VALUES, b3, 112);
  } else {
    for (let r = 0; r < 4; r++) {
      const xr = x0 + <usize>r * rowBytes;
      for (let c = 0; c < 4; c++) {
        let s: f64 = 0;
        for (let t = 0; t < d; t++) {
          const diff = load<f64>(xr + (<usize>t << 3)) - load<f64>(panel + ((<usize>(t * 4 + c)) << 3));
          s += diff * diff;
        }
        store<f64>(tileValue(r * 4 + c), s);
      }
    }
  }
}

/**
 * Finishes the search: per row, merges the per-thread heaps in thread order when `threads` > 1 or
 * `repush` (sklearn's parallel-on-Y synchronisation), sorts with sklearn's quicksort and writes the
 * K−1 neighbours after the first (imblearn's `[:, 1:]`) to `nns` (m × (K−1) i32); flags rows whose
 * kept values tie each other or whose K-th value ties a dropped candidate (`ties` from smote_knn_block).
 * `scratchVals`/`scratchIdx` hold one heap (K slots).
 */
export function smote_knn_finish(
  valsPtr: usize,
  idxPtr: usize,
  m: i32,
  K: i32,
  threads: i32,
  repush: bool,
  scratchVals: usize,
  scratchIdx: usize,
  nnsPtr: usize,
  tiesPtr: usize,
  flagsPtr: usize,
): void {
  for (let row = 0; row < m; row++) {
    let hv = valsPtr + (heapSlot(row, 0, threads, K) << 3);
    let hi = idxPtr + (heapSlot(row, 0, threads, K) << 2);
    if (repush) {
      smote_heaps_init(scratchVals, scratchIdx, K);
      for (let t = 0; t < threads; t++) {
        const sv = valsPtr + (heapSlot(row, t, threads, K) << 3);
        const si = idxPtr + (heapSlot(row, t, threads, K) << 2);
        for (let a = 0; a < K; a++) {
          heapPush(scratchVals, scratchIdx, K, load<f64>(sv + (<usize>a << 3)), load<i32>(si + (<usize>a << 2)));
        }
      }
      hv = scratchVals;
      hi = scratchIdx;
    }
    simultaneousSort(hv, hi, K);
    for (let a = 1; a < K; a++) {
      if (at(hv, a) == at(hv, a - 1)) store<u8>(flagsPtr + <usize>row, 1);
    }
    if (at(tiesPtr, row) <= at(hv, K - 1)) store<u8>(flagsPtr + <usize>row, 1);
    const out = nnsPtr + ((<usize>row * (K - 1)) << 2);
    for (let a = 1; a < K; a++) store<i32>(out + (<usize>(a - 1) << 2), load<i32>(hi + (<usize>a << 2)));
  }
}

/**
 * Draws `n` sample indices like `RandomState.randint(0, high, size=n)` (legacy masked rejection on
 * 32-bit draws; high ≤ 2^32) from the generator seeded by rng_seed, into `out` (u32).
 */
export function smote_draw_indices(high: u32, n: i32, outPtr: usize): void {
  const max = high - 1;
  for (let s = 0; s < n; s++) store<u32>(outPtr + (<usize>s << 2), rng_interval(max));
}

// numpy's legacy random_sample: 53 random bits from two 32-bit draws.
@inline
function nextDouble(): f64 {
  const a = rng_next32() >> 5;
  const b = rng_next32() >> 6;
  return (<f64>a * 67108864.0 + <f64>b) / 9007199254740992.0;
}

/**
 * Generates synthetic rows `start`..`start+count` (output order): one uniform draw per row (continuing
 * the generator after smote_draw_indices), base row = index / k, neighbour = nns[base, index % k],
 * value = x[base] + step * (x[nb] − x[base]) in float64 (no fused multiply-add, like numpy).
 * `x` is the minority rows (m × d); writes count × d f64 to `out`.
 */
export function smote_interpolate(
  xPtr: usize,
  d: i32,
  nnsPtr: usize,
  k: i32,
  indicesPtr: usize,
  start: i32,
  count: i32,
  outPtr: usize,
): void {
  for (let s = 0; s < count; s++) {
    const step = nextDouble();
    const sample = load<u32>(indicesPtr + (<usize>(start + s) << 2));
    const base = sample / <u32>k;
    const col = sample % <u32>k;
    const nb = load<i32>(nnsPtr + ((<usize>base * k + col) << 2));
    const xb = xPtr + ((<usize>base * d) << 3);
    const xn = xPtr + ((<usize>nb * d) << 3);
    const out = outPtr + ((<usize>s * d) << 3);
    for (let t = 0; t < d; t++) {
      const a = load<f64>(xb + (<usize>t << 3));
      store<f64>(out + (<usize>t << 3), a + step * (load<f64>(xn + (<usize>t << 3)) - a));
    }
  }
}

/**
 * Merges two partial searches over disjoint candidate sets (the tile halves of two threads, each one
 * heap of K slots per row) into `nns` (m × (K−1) i32, the K−1 after the first). With no exact ties at
 * or inside the K-th place the answer is the K smallest values in ascending order, whatever order the
 * candidates came in; rows where the union ties there, or where a candidate one thread dropped ties the
 * K-th value (its `ties` entry, see noteTie, is at or below it), are flagged for an exact re-query in
 * sklearn's candidate order (smote_knn_rows, or the KD-tree copy). `scratch*` hold 2K entries.
 */
export function smote_knn_merge(
  valsA: usize,
  idxA: usize,
  valsB: usize,
  idxB: usize,
  tiesA: usize,
  tiesB: usize,
  m: i32,
  K: i32,
  scratchVals: usize,
  scratchIdx: usize,
  nnsPtr: usize,
  flagsPtr: usize,
): void {
  const both = 2 * K;
  for (let row = 0; row < m; row++) {
    const base = <usize>row * K;
    // Insertion sort of the 2K entries (K is small); the order among equal values does not matter
    // because such rows are flagged.
    for (let a = 0; a < both; a++) {
      const fromA = a < K;
      const slot = base + <usize>(fromA ? a : a - K);
      const v = load<f64>((fromA ? valsA : valsB) + (slot << 3));
      const j = load<i32>((fromA ? idxA : idxB) + (slot << 2));
      let p = a;
      while (p > 0 && at(scratchVals, p - 1) > v) {
        store<f64>(scratchVals + (<usize>p << 3), at(scratchVals, p - 1));
        store<i32>(scratchIdx + (<usize>p << 2), load<i32>(scratchIdx + (<usize>(p - 1) << 2)));
        p--;
      }
      store<f64>(scratchVals + (<usize>p << 3), v);
      store<i32>(scratchIdx + (<usize>p << 2), j);
    }
    for (let a = 1; a <= K; a++) {
      if (at(scratchVals, a) == at(scratchVals, a - 1)) store<u8>(flagsPtr + <usize>row, 1);
    }
    const kth = at(scratchVals, K - 1);
    if (at(tiesA, row) <= kth || at(tiesB, row) <= kth) store<u8>(flagsPtr + <usize>row, 1);
    const out = nnsPtr + ((<usize>row * (K - 1)) << 2);
    for (let a = 1; a < K; a++) store<i32>(out + (<usize>(a - 1) << 2), load<i32>(scratchIdx + (<usize>a << 2)));
  }
}

/**
 * Exact single-row searches in sklearn's brute-force order (one heap, candidates 0..m−1 ascending, then
 * its quicksort) for the `count` rows listed in `rows` (i32): the re-query of rows that the parallel
 * search flagged. Values are bit-identical to the tiles' (|a|² + |b|²) − 2·a·b: the same sequential dot
 * product and the same operation order. Writes each row's K−1 neighbours after the first to `nns`.
 * `heapVals`/`heapIdx` hold one heap (K slots).
 */
export function smote_knn_rows(
  xPtr: usize,
  nrmPtr: usize,
  m: i32,
  d: i32,
  K: i32,
  rowsPtr: usize,
  count: i32,
  heapVals: usize,
  heapIdx: usize,
  nnsPtr: usize,
): void {
  const rowBytes = <usize>d << 3;
  for (let q = 0; q < count; q++) {
    const row = load<i32>(rowsPtr + (<usize>q << 2));
    const xr = xPtr + <usize>row * rowBytes;
    const nr = load<f64>(nrmPtr + (<usize>row << 3));
    smote_heaps_init(heapVals, heapIdx, K);
    for (let j = 0; j < m; j++) {
      const xj = xPtr + <usize>j * rowBytes;
      let s: f64 = 0;
      for (let t = 0; t < d; t++) s += load<f64>(xr + (<usize>t << 3)) * load<f64>(xj + (<usize>t << 3));
      const val = nr + load<f64>(nrmPtr + (<usize>j << 3)) - 2 * s;
      if (val < load<f64>(heapVals)) heapPush(heapVals, heapIdx, K, val, j);
    }
    simultaneousSort(heapVals, heapIdx, K);
    const out = nnsPtr + ((<usize>row * (K - 1)) << 2);
    for (let a = 1; a < K; a++) store<i32>(out + (<usize>(a - 1) << 2), load<i32>(heapIdx + (<usize>a << 2)));
  }
}
