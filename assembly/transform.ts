// Kernels: transform — fitting and applying the recipe's preprocessing (clip -> impute -> scale) in
// float64 exactly as numpy/sklearn compute it, and casting to float32 on the way out.
//
// Fit works on one training column at a time held in *training order* (the order of X_train in the
// Python recipe), so sums run in numpy's order and match bit for bit; order statistics come from an
// in-place multi-rank quickselect on a NaN-free copy. Apply transforms decoded row blocks and scatters
// each row to its place in the output window (rows of the three splits laid end to end).

// ---- numpy's np.clip for float64: _NPY_MIN(_NPY_MAX(x, lo), hi), NaN x stays NaN, strict compares ----
@inline function clipNp(x: f64, lo: f64, hi: f64): f64 {
  let y = x != x ? x : x > lo ? x : lo;
  return y != y ? y : y < hi ? y : hi;
}

/** Gathers column `col` of row-major f64 rows into `dst[dest[rowStart + r]]` for rows whose dest is in [g0, g1). */
export function tf_gather_column(block: usize, nRows: u32, cols: u32, col: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize): void {
  const stride = <usize>cols << 3;
  let p = block + (<usize>col << 3);
  let d = dest + (<usize>rowStart << 2);
  for (let r: u32 = 0; r < nRows; r++) {
    const g = load<u32>(d);
    if (g >= g0 && g < g1) store<f64>(dst + (<usize>(g - g0) << 3), load<f64>(p));
    p += stride;
    d += 4;
  }
}

/**
 * Appends columns [c0, c1) of each decoded row whose destination g (`dest[rowStart + r]`) lies in
 * [g0, g1) to column-major buffers (column c at dst + (c - c0) * colStride bytes; f32 when `asF32`,
 * exact for float32 inputs, else f64), in file order: each column is written sequentially. Records the
 * append index of training position g - g0 in `inv` (numpy-order sums read through it). `state` holds
 * the running row count (u32).
 */
export function tf_gather_columns(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, inv: usize, state: usize): void {
  gatherColumns<f64>(block, nRows, cols, c0, c1, rowStart, dest, g0, g1, dst, colStride, asF32, inv, state);
}

/** tf_gather_columns on raw little-endian float32 rows (no float64 decode first; the values are the same). */
export function tf_gather_columns_f32(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, inv: usize, state: usize): void {
  gatherColumns<f32>(block, nRows, cols, c0, c1, rowStart, dest, g0, g1, dst, colStride, asF32, inv, state);
}

/**
 * tf_gather_columns without the missing values, for fits that need no training order (median
 * imputation, robust/min-max/no scaling): column c keeps only its non-NaN values, appended at its own
 * count (`counts`: u32 per column of the group, running across calls), so each column comes out
 * compacted and ready for selection.
 */
export function tf_gather_columns_compact(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, counts: usize): void {
  gatherColumnsCompact<f64>(block, nRows, cols, c0, c1, rowStart, dest, g0, g1, dst, colStride, asF32, counts);
}

/** tf_gather_columns_compact on raw little-endian float32 rows. */
export function tf_gather_columns_compact_f32(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, counts: usize): void {
  gatherColumnsCompact<f32>(block, nRows, cols, c0, c1, rowStart, dest, g0, g1, dst, colStride, asF32, counts);
}

@inline function gatherColumnsCompact<T>(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, counts: usize): void {
  const size = <usize>sizeof<T>();
  const stride = <usize>cols * size;
  const width = <usize>(c1 - c0);
  let p = block + <usize>c0 * size;
  let d = dest + (<usize>rowStart << 2);
  for (let r: u32 = 0; r < nRows; r++) {
    const g = load<u32>(d);
    if (g >= g0 && g < g1) {
      // Every value is stored at its column's count, which moves on only past a number (no branch).
      for (let c: usize = 0; c < width; c++) {
        const v = load<T>(p + c * size);
        const k = <usize>load<u32>(counts + (c << 2));
        if (asF32) store<f32>(dst + c * colStride + (k << 2), <f32>v);
        else store<f64>(dst + c * colStride + (k << 3), <f64>v);
        store<u32>(counts + (c << 2), <u32>k + <u32>(v == v));
      }
    }
    p += stride;
    d += 4;
  }
}

// Row kernels read their rows as T: f64 (decoded blocks) or f32 (raw float32 input, promoted exactly).
@inline function gatherColumns<T>(block: usize, nRows: u32, cols: u32, c0: u32, c1: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, dst: usize, colStride: usize, asF32: i32, inv: usize, state: usize): void {
  const size = <usize>sizeof<T>();
  const stride = <usize>cols * size;
  const width = <usize>(c1 - c0);
  let k = <usize>load<u32>(state);
  let p = block + <usize>c0 * size;
  let d = dest + (<usize>rowStart << 2);
  for (let r: u32 = 0; r < nRows; r++) {
    const g = load<u32>(d);
    if (g >= g0 && g < g1) {
      if (asF32) {
        const o = dst + (k << 2);
        for (let c: usize = 0; c < width; c++) store<f32>(o + c * colStride, <f32>load<T>(p + c * size));
      } else {
        const o = dst + (k << 3);
        for (let c: usize = 0; c < width; c++) store<f64>(o + c * colStride, <f64>load<T>(p + c * size));
      }
      store<u32>(inv + (<usize>(g - g0) << 2), <u32>k);
      k++;
    }
    p += stride;
    d += 4;
  }
  store<u32>(state, <u32>k);
}

/** Copies the non-NaN values of src[i * stride] for i < n (f32 when `isF32`, else f64) to `dst`, in order; returns their count. */
export function tf_compact_not_nan(src: usize, n: u32, stride: u32, dst: usize, isF32: i32): u32 {
  let m: usize = 0;
  const st = <usize>stride;
  if (isF32) {
    for (let i: usize = 0; i < <usize>n; i++) {
      const x = load<f32>(src + ((i * st) << 2));
      if (x == x) {
        store<f32>(dst + (m << 2), x);
        m++;
      }
    }
  } else {
    for (let i: usize = 0; i < <usize>n; i++) {
      const x = load<f64>(src + ((i * st) << 3));
      if (x == x) {
        store<f64>(dst + (m << 3), x);
        m++;
      }
    }
  }
  return <u32>m;
}

@inline function at(p: usize, i: isize): f64 {
  return load<f64>(p + (<usize>i << 3));
}
@inline function put(p: usize, i: isize, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}
@inline function atT<T>(p: usize, i: isize): T {
  return load<T>(p + (<usize>i << alignof<T>()));
}
@inline function putT<T>(p: usize, i: isize, v: T): void {
  store<T>(p + (<usize>i << alignof<T>()), v);
}

function insertionSort<T>(p: usize, lo: isize, hi: isize): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = atT<T>(p, i);
    let j = i - 1;
    while (j >= lo && atT<T>(p, j) > v) {
      putT<T>(p, j + 1, atT<T>(p, j));
      j--;
    }
    putT<T>(p, j + 1, v);
  }
}

// Where partition() left its two cursors (read right after the call, before any recursion).
let partI: isize = 0;
let partJ: isize = 0;

/**
 * Median-of-three pivot, then a Hoare-style partition of p[lo..hi] (NaN-free, at least 3 values):
 * afterwards [lo, partJ] <= pivot, (partJ, partI) == pivot, [partI, hi] >= pivot. Shared by the
 * selection (multiSelect) and the sort (sortU64).
 */
@inline function partition<T>(p: usize, lo: isize, hi: isize): void {
  const mid = lo + ((hi - lo) >> 1);
  const a = atT<T>(p, lo), b = atT<T>(p, mid), c = atT<T>(p, hi);
  let pivot: T;
  if (a < b) pivot = b < c ? b : a < c ? c : a;
  else pivot = a < c ? a : b < c ? c : b;
  let i = lo, j = hi;
  while (i <= j) {
    while (atT<T>(p, i) < pivot) i++;
    while (atT<T>(p, j) > pivot) j--;
    if (i <= j) {
      const t = atT<T>(p, i);
      putT<T>(p, i, atT<T>(p, j));
      putT<T>(p, j, t);
      i++;
      j--;
    }
  }
  partI = i;
  partJ = j;
}

/**
 * Partially orders p[lo..hi] (NaN-free) so that every rank in ranks[rlo..rhi) (ascending u32, all within
 * [lo, hi]) holds the value it would hold after a full sort.
 */
function multiSelect<T>(p: usize, lo: isize, hi: isize, ranks: usize, rlo: i32, rhi: i32): void {
  while (rlo < rhi) {
    if (hi - lo < 24) {
      insertionSort<T>(p, lo, hi);
      return;
    }
    partition<T>(p, lo, hi);
    const i = partI;
    const j = partJ;
    // Now [lo, j] <= pivot, (j, i) == pivot, [i, hi] >= pivot.
    let split = rlo;
    while (split < rhi && <isize>load<u32>(ranks + (<usize>split << 2)) <= j) split++;
    let upper = split;
    while (upper < rhi && <isize>load<u32>(ranks + (<usize>upper << 2)) < i) upper++;
    // Ranks in (j, i) are already in place (pivot values).
    if (split - rlo > 0 && rhi - upper > 0) {
      if (j - lo < hi - i) {
        multiSelect<T>(p, lo, j, ranks, rlo, split);
        lo = i;
        rlo = upper;
      } else {
        multiSelect<T>(p, i, hi, ranks, upper, rhi);
        hi = j;
        rhi = split;
      }
    } else if (split - rlo > 0) {
      hi = j;
      rhi = split;
    } else {
      lo = i;
      rlo = upper;
    }
  }
}

/** Puts the order statistics at `ranks[0..k)` (ascending, < m) of p[0..m) in place; writes them to `out`. */
export function tf_select_ranks(p: usize, m: u32, ranks: usize, k: u32, out: usize): void {
  if (m == 0 || k == 0) return;
  multiSelect<f64>(p, 0, <isize>m - 1, ranks, 0, <i32>k);
  for (let r: usize = 0; r < <usize>k; r++) store<f64>(out + (r << 3), at(p, <isize>load<u32>(ranks + (r << 2))));
}

// numpy's pairwise summation (used when the reduced axis is contiguous: a single-feature (n, 1) array),
// on chunks of 8192 (the iterator buffer) whose sums are added left to right.
function pairwise(p: usize, n: isize): f64 {
  if (n < 8) {
    let s: f64 = 0;
    for (let i: isize = 0; i < n; i++) s += at(p, i);
    return s;
  }
  if (n <= 128) {
    let r0 = at(p, 0), r1 = at(p, 1), r2 = at(p, 2), r3 = at(p, 3);
    let r4 = at(p, 4), r5 = at(p, 5), r6 = at(p, 6), r7 = at(p, 7);
    let i: isize = 8;
    for (; i < n - (n % 8); i += 8) {
      r0 += at(p, i); r1 += at(p, i + 1); r2 += at(p, i + 2); r3 += at(p, i + 3);
      r4 += at(p, i + 4); r5 += at(p, i + 5); r6 += at(p, i + 6); r7 += at(p, i + 7);
    }
    let s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) s += at(p, i);
    return s;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise(p, n2) + pairwise(p + (<usize>n2 << 3), n - n2);
}

/** numpy's sum of p[0..n): sequential (C-order 2-D, axis 0) or pairwise in 8192 chunks (contiguous axis). */
function npSum(p: usize, n: u32, contiguous: i32): f64 {
  let s: f64 = 0;
  if (!contiguous) {
    for (let i: usize = 0; i < <usize>n; i++) s += at(p, <isize>i);
    return s;
  }
  for (let o: u32 = 0; o < n; o += 8192) {
    const len = n - o < 8192 ? n - o : 8192;
    s += pairwise(p + (<usize>o << 3), <isize>len);
  }
  return s;
}

/**
 * Writes the values the next sklearn step sees for the column src (f32 when `isF32`) to the f64 buffer
 * dst, in training order: dst[i] comes from src[order[i]] (or src[i] when `order` is 0): clip (when clipOn), then NaN -> fill (when imputeOn).
 */
export function tf_clip_impute_to_f64(src: usize, n: u32, order: usize, isF32: i32, clipOn: i32, lo: f64, hi: f64, imputeOn: i32, fill: f64, dst: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const at = order ? <usize>load<u32>(order + (i << 2)) : i;
    let x = isF32 ? <f64>load<f32>(src + (at << 2)) : load<f64>(src + (at << 3));
    if (clipOn) x = clipNp(x, lo, hi);
    if (imputeOn && x != x) x = fill;
    put(dst, <isize>i, x);
  }
}

/** numpy sum of p[0..n) with NaN treated as 0 (np.nansum / masked sum); overwrites NaN in p with 0. */
export function tf_nansum_destructive(p: usize, n: u32, contiguous: i32): f64 {
  for (let i: usize = 0; i < <usize>n; i++) {
    const x = at(p, <isize>i);
    if (x != x) put(p, <isize>i, 0.0);
  }
  return npSum(p, n, contiguous);
}

/** Σ(x - t) (NaN as 0) into out[0] and Σ(x - t)² into out[1], in numpy's order; overwrites p. */
export function tf_centered_sums_destructive(p: usize, n: u32, t: f64, contiguous: i32, out: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) {
    const x = at(p, <isize>i) - t;
    put(p, <isize>i, x != x ? 0.0 : x);
  }
  store<f64>(out, npSum(p, n, contiguous));
  for (let i: usize = 0; i < <usize>n; i++) {
    const x = at(p, <isize>i);
    put(p, <isize>i, x * x);
  }
  store<f64>(out + 8, npSum(p, n, contiguous));
}

// ---- Radix selection for float32 values: two histogram levels of 16 bits over order-preserving keys ----

/** Order-preserving u32 key of a float32 (negative values reversed); NaN never reaches here. */
@inline function f32Key(x: f32): u32 {
  let b = reinterpret<u32>(x);
  // -0.0 and +0.0 compare equal in numpy: same bucket, and the in-bucket quickselect (which compares
  // them equal) decides, as numpy's own partition does. Which sign numpy returns is not specified.
  if (b == 0x80000000) b = 0;
  return (b & 0x80000000) ? ~b : b | 0x80000000;
}

const RADIX_BINS: usize = 65536;
const NO_SLOT: u32 = 0xffffffff;

/** The top 16 bits of f32Key of four float32 (as raw bits), by SIMD: the key work of 4 values at once. */
@inline function topKeys4(bits: v128): v128 {
  const b = v128.andnot(bits, i32x4.eq(bits, i32x4.splat(<i32>0x80000000))); // -0.0 -> +0.0
  const key = v128.bitselect(v128.not(b), v128.or(b, i32x4.splat(<i32>0x80000000)), i32x4.shr_s(b, 31));
  return i32x4.shr_u(key, 16);
}

/** hist[top 16 bits of f32Key(p[i])] += 1 for i in [0, m). */
function radixHistogramF32(p: usize, m: usize, hist: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= m; i += 4) {
      const k = topKeys4(v128.load(p + (i << 2)));
      bump(hist + (<usize>i32x4.extract_lane(k, 0) << 2));
      bump(hist + (<usize>i32x4.extract_lane(k, 1) << 2));
      bump(hist + (<usize>i32x4.extract_lane(k, 2) << 2));
      bump(hist + (<usize>i32x4.extract_lane(k, 3) << 2));
    }
  }
  for (; i < m; i++) bump(hist + (<usize>(f32Key(load<f32>(p + (i << 2))) >>> 16) << 2));
}

/** *h += 1 (u32). */
@inline function bump(h: usize): void {
  store<u32>(h, load<u32>(h) + 1);
}

/** Copies each p[i] whose bucket has a slot (slots[bucket] != NO_SLOT) to buf[slot], advancing it; in order. */
function radixCollectF32(p: usize, m: usize, slots: usize, buf: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= m; i += 4) {
      const v = v128.load(p + (i << 2));
      const k = topKeys4(v);
      const s0 = slots + (<usize>i32x4.extract_lane(k, 0) << 2);
      const s1 = slots + (<usize>i32x4.extract_lane(k, 1) << 2);
      const s2 = slots + (<usize>i32x4.extract_lane(k, 2) << 2);
      const s3 = slots + (<usize>i32x4.extract_lane(k, 3) << 2);
      // Most values fall in no wanted bucket: one test for all four. Lanes sharing a bucket see the
      // cursor the previous lane advanced, so the copies keep their order.
      if ((load<u32>(s0) & load<u32>(s1) & load<u32>(s2) & load<u32>(s3)) != NO_SLOT) {
        collectInto(s0, i32x4.extract_lane(v, 0), buf);
        collectInto(s1, i32x4.extract_lane(v, 1), buf);
        collectInto(s2, i32x4.extract_lane(v, 2), buf);
        collectInto(s3, i32x4.extract_lane(v, 3), buf);
      }
    }
  }
  for (; i < m; i++) {
    const x = load<f32>(p + (i << 2));
    collectInto(slots + (<usize>(f32Key(x) >>> 16) << 2), reinterpret<u32>(x), buf);
  }
}

/** Appends a value's bits at its bucket's cursor `*slot` in buf and advances it, unless the bucket has none. */
@inline function collectInto(slot: usize, bits: u32, buf: usize): void {
  const c = load<u32>(slot);
  if (c != NO_SLOT) {
    store<u32>(buf + (<usize>c << 2), bits);
    store<u32>(slot, c + 1);
  }
}

/**
 * Order statistics of the NaN-free float32 values p[0..m) at ranks[0..k) (ascending), written as f64 to
 * `out`. One histogram pass on the top 16 key bits, one pass copying the values of the few buckets that
 * hold a wanted rank into `buf` (m f32), then a quickselect inside each (small) bucket. `hist` and
 * `slots` are RADIX_BINS u32 each; `bucketOf` is 2*k u32 scratch. p is not modified.
 */
export function tf_select_ranks_f32(p: usize, m: u32, ranks: usize, k: u32, out: usize, hist: usize, slots: usize, buf: usize, bucketOf: usize): void {
  if (m == 0 || k == 0) return;
  memory.fill(hist, 0, RADIX_BINS << 2);
  radixHistogramF32(p, <usize>m, hist);
  // Walk the cumulative counts once: bucket and start (cumulative count before it) of each rank.
  let b: usize = 0;
  let before: u32 = 0;
  for (let r: usize = 0; r < <usize>k; r++) {
    const rank = load<u32>(ranks + (r << 2));
    while (before + load<u32>(hist + (b << 2)) <= rank) {
      before += load<u32>(hist + (b << 2));
      b++;
    }
    store<u32>(bucketOf + (r << 3), <u32>b);
    store<u32>(bucketOf + (r << 3) + 4, before);
  }
  // Regions of buf for the distinct wanted buckets; slots[bucket] = next write position.
  memory.fill(slots, 0xff, RADIX_BINS << 2);
  let at: u32 = 0;
  for (let r: usize = 0; r < <usize>k; r++) {
    const bk = <usize>load<u32>(bucketOf + (r << 3));
    if (load<u32>(slots + (bk << 2)) == NO_SLOT) {
      store<u32>(slots + (bk << 2), at);
      at += load<u32>(hist + (bk << 2));
    }
  }
  // Remember region starts (slots become cursors).
  for (let r: usize = 0; r < <usize>k; r++) {
    const bk = <usize>load<u32>(bucketOf + (r << 3));
    // Reuse hist[bk] to hold the region start; its count is no longer needed once regions are laid out.
    store<u32>(hist + (bk << 2), load<u32>(slots + (bk << 2)));
  }
  radixCollectF32(p, <usize>m, slots, buf);
  // Per rank: its bucket's region [start, end) of buf and its rank within, in bucketOf (start, within)
  // and out (end, until the value replaces it); hist and slots are then free for a second level.
  for (let r: usize = 0; r < <usize>k; r++) {
    const bk = <usize>load<u32>(bucketOf + (r << 3));
    const within = load<u32>(ranks + (r << 2)) - load<u32>(bucketOf + (r << 3) + 4);
    store<u32>(bucketOf + (r << 3), load<u32>(hist + (bk << 2)));
    store<u32>(bucketOf + (r << 3) + 4, within);
    store<f64>(out + (r << 3), <f64>load<u32>(slots + (bk << 2)));
  }
  let r: usize = 0;
  while (r < <usize>k) {
    const start = load<u32>(bucketOf + (r << 3));
    const end = <u32>load<f64>(out + (r << 3));
    let r1 = r + 1;
    while (r1 < <usize>k && load<u32>(bucketOf + (r1 << 3)) == start) r1++;
    const region = buf + (<usize>start << 2);
    const size = <usize>(end - start);
    if (size >= RADIX2_MIN_VALUES) {
      // A big bucket (ties, or a narrow distribution): a second histogram on the low 16 key bits pins
      // each rank to one full key, i.e. one float32 value; no partitioning (all-equal buckets made
      // quickselect quadratic-ish in practice: ~60 ms for a 0/1/-1 column of 2.8M rows).
      memory.fill(hist, 0, RADIX_BINS << 2);
      for (let i: usize = 0; i < size; i++) {
        const h = hist + (<usize>(f32Key(load<f32>(region + (i << 2))) & 0xffff) << 2);
        store<u32>(h, load<u32>(h) + 1);
      }
      const high = f32Key(load<f32>(region)) & 0xffff0000;
      let b: u32 = 0;
      let before: u32 = 0;
      for (let q = r; q < r1; q++) {
        const within = load<u32>(bucketOf + (q << 3) + 4);
        while (before + load<u32>(hist + (<usize>b << 2)) <= within) {
          before += load<u32>(hist + (<usize>b << 2));
          b++;
        }
        store<f64>(out + (q << 3), <f64>f32OfKey(high | b));
      }
    } else {
      for (let q = r; q < r1; q++) {
        const rankPtr = bucketOf + (q << 3) + 4; // its rank within, as a 1-element rank list
        const within = load<u32>(rankPtr);
        multiSelect<f32>(region, 0, <isize>size - 1, rankPtr, 0, 1);
        store<f64>(out + (q << 3), <f64>load<f32>(region + (<usize>within << 2)));
      }
    }
    r = r1;
  }
}

/** Buckets holding at least this many values get a second 16-bit histogram level instead of a quickselect. */
const RADIX2_MIN_VALUES: usize = 16384;

/** The float32 whose f32Key is `key` (+0.0 for the key of both zeros). */
@inline function f32OfKey(key: u32): f32 {
  return reinterpret<f32>((key & 0x80000000) ? key & 0x7fffffff : ~key);
}

/** clipOn of tf_apply_rows: clip, and every column's fill is inside its clip range (a faster path, same bits). */
export const TF_CLIP_FILL_INSIDE: i32 = 2;

/** Scaler modes of tf_apply_rows. */
export const TF_SCALE_NONE: i32 = 0;
/** (x - a) / b: RobustScaler, StandardScaler. */
export const TF_SCALE_SUB_DIV: i32 = 1;
/** x * a + b: MinMaxScaler. */
export const TF_SCALE_MUL_ADD: i32 = 2;

/**
 * Transforms the decoded rows [rowStart, rowStart + nRows) whose destination (`dest`, a global output
 * row) lies in [g0, g1), writing float32 rows to `window + (g - g0) * cols * 4`. `params` holds five f64
 * arrays of `cols`: clip lo, clip hi, fill, a, b.
 */
export function tf_apply_rows(block: usize, nRows: u32, cols: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, window: usize, params: usize, clipOn: i32, imputeOn: i32, mode: i32): void {
  applyRows<f64>(block, nRows, cols, rowStart, dest, g0, g1, window, params, clipOn, imputeOn, mode);
}

/** tf_apply_rows on raw little-endian float32 rows (promoted to float64 exactly, so the same results). */
export function tf_apply_rows_f32(block: usize, nRows: u32, cols: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, window: usize, params: usize, clipOn: i32, imputeOn: i32, mode: i32): void {
  applyRows<f32>(block, nRows, cols, rowStart, dest, g0, g1, window, params, clipOn, imputeOn, mode);
}

@inline function applyRows<T>(block: usize, nRows: u32, cols: u32, rowStart: u32, dest: usize, g0: u32, g1: u32, window: usize, params: usize, clipOn: i32, imputeOn: i32, mode: i32): void {
  const size = <usize>sizeof<T>();
  const d = <usize>cols;
  const pLo = params;
  const pHi = params + (d << 3);
  const pFill = params + (d << 4);
  const pA = params + 3 * (d << 3);
  const pB = params + 4 * (d << 3);
  const recipe = clipOn != 0 && imputeOn != 0 && mode == TF_SCALE_SUB_DIV;
  for (let r: usize = 0; r < <usize>nRows; r++) {
    const g = load<u32>(dest + ((<usize>rowStart + r) << 2));
    if (g < g0 || g >= g1) continue;
    const src = block + r * d * size;
    const out = window + <usize>(g - g0) * (d << 2);
    if (recipe) {
      // The default recipe (clip, impute, robust/standard) without per-value branches on the settings.
      let j: usize = 0;
      if (ASC_FEATURE_SIMD && clipOn == TF_CLIP_FILL_INSIDE) {
        // Every fill lies inside its clip range (clip(fill) == fill, bit for bit), so imputing before
        // clipping gives the same values, and np.clip's compares are exactly pmax/pmin:
        // x > lo ? x : lo == pmax(lo, x), y < hi ? y : hi == pmin(hi, y).
        for (; j + 2 <= d; j += 2) {
          const o = j << 3;
          const x = size == 4 ? f64x2.promote_low_f32x4(v128.load64_zero(src + (j << 2))) : v128.load(src + o);
          const w = v128.bitselect(v128.load(pFill + o), x, f64x2.ne(x, x));
          const z = f64x2.pmin(v128.load(pHi + o), f64x2.pmax(v128.load(pLo + o), w));
          const r = f64x2.div(f64x2.sub(z, v128.load(pA + o)), v128.load(pB + o));
          store<i64>(out + (j << 2), i64x2.extract_lane(f32x4.demote_f64x2_zero(r), 0));
        }
      }
      if (ASC_FEATURE_SIMD) {
        // Two columns per step; every lane op is the scalar IEEE op, so the bits are the same.
        for (; j + 2 <= d; j += 2) {
          const o = j << 3;
          const x = size == 4 ? f64x2.promote_low_f32x4(v128.load64_zero(src + (j << 2))) : v128.load(src + o);
          const lo = v128.load(pLo + o);
          const hi = v128.load(pHi + o);
          const y = v128.bitselect(x, lo, v128.or(f64x2.ne(x, x), f64x2.gt(x, lo)));
          const z = v128.bitselect(y, hi, v128.or(f64x2.ne(y, y), f64x2.lt(y, hi)));
          const w = v128.bitselect(v128.load(pFill + o), z, f64x2.ne(z, z));
          const r = f64x2.div(f64x2.sub(w, v128.load(pA + o)), v128.load(pB + o));
          store<i64>(out + (j << 2), i64x2.extract_lane(f32x4.demote_f64x2_zero(r), 0));
        }
      }
      for (; j < d; j++) {
        const o = j << 3;
        let x = clipNp(<f64>load<T>(src + j * size), load<f64>(pLo + o), load<f64>(pHi + o));
        x = x != x ? load<f64>(pFill + o) : x;
        store<f32>(out + (j << 2), <f32>((x - load<f64>(pA + o)) / load<f64>(pB + o)));
      }
      continue;
    }
    for (let j: usize = 0; j < d; j++) {
      const o = j << 3;
      let x = <f64>load<T>(src + j * size);
      if (clipOn) x = clipNp(x, load<f64>(pLo + o), load<f64>(pHi + o));
      if (imputeOn && x != x) x = load<f64>(pFill + o);
      if (mode == TF_SCALE_SUB_DIV) x = (x - load<f64>(pA + o)) / load<f64>(pB + o);
      else if (mode == TF_SCALE_MUL_ADD) x = x * load<f64>(pA + o) + load<f64>(pB + o);
      store<f32>(out + (j << 2), <f32>x);
    }
  }
}

/** dest[rows[p]] = base + p for p in [0, n): each input row's global output row. */
export function tf_fill_dest(dest: usize, rows: usize, n: u32, base: u32): void {
  for (let p: usize = 0; p < <usize>n; p++) store<u32>(dest + (<usize>load<u32>(rows + (p << 2)) << 2), base + <u32>p);
}

/**
 * Drift bins on every `step`-th input row: the row's split (from its global output row: < b1 training,
 * < b2 validation, else test) and, per feature, its bin among the 9 training deciles `edges` (9 * cols
 * f64; bin = number of edges < x, NaN in bin 10). counts: u32 [split][feature][11].
 */
export function tf_bin_counts(block: usize, nRows: u32, cols: u32, rowStart: u32, step: u32, dest: usize, b1: u32, b2: u32, edges: usize, counts: usize): void {
  binCounts<f64>(block, nRows, cols, rowStart, step, dest, b1, b2, edges, counts);
}

/** tf_bin_counts on raw little-endian float32 rows. */
export function tf_bin_counts_f32(block: usize, nRows: u32, cols: u32, rowStart: u32, step: u32, dest: usize, b1: u32, b2: u32, edges: usize, counts: usize): void {
  binCounts<f32>(block, nRows, cols, rowStart, step, dest, b1, b2, edges, counts);
}

@inline function binCounts<T>(block: usize, nRows: u32, cols: u32, rowStart: u32, step: u32, dest: usize, b1: u32, b2: u32, edges: usize, counts: usize): void {
  const d = <usize>cols;
  const size = <usize>sizeof<T>();
  let r: u32 = (step - (rowStart % step)) % step;
  for (; r < nRows; r += step) {
    const g = load<u32>(dest + ((<usize>rowStart + <usize>r) << 2));
    const split: usize = g < b1 ? 0 : g < b2 ? 1 : 2;
    const src = block + <usize>r * d * size;
    const base = counts + split * d * 44;
    for (let j: usize = 0; j < d; j++) {
      const x = <f64>load<T>(src + j * size);
      // bin = number of edges < x (NaN compares false everywhere: bin 0 then, replaced by 10), without
      // data-dependent branches: the sampled values are random, so a search's branches mispredict.
      const e = edges + j * 72;
      let bin: usize;
      if (ASC_FEATURE_SIMD) {
        const xx = f64x2.splat(x);
        let acc = i64x2.sub(i64x2.splat(0), f64x2.lt(v128.load(e), xx));
        acc = i64x2.sub(acc, f64x2.lt(v128.load(e + 16), xx));
        acc = i64x2.sub(acc, f64x2.lt(v128.load(e + 32), xx));
        acc = i64x2.sub(acc, f64x2.lt(v128.load(e + 48), xx));
        bin = <usize>(i64x2.extract_lane(acc, 0) + i64x2.extract_lane(acc, 1)) + <usize>(load<f64>(e + 64) < x);
      } else {
        bin = 0;
        for (let k: usize = 0; k < 9; k++) bin += <usize>(load<f64>(e + (k << 3)) < x);
      }
      if (x != x) bin = 10;
      const c = base + j * 44 + (bin << 2);
      store<u32>(c, load<u32>(c) + 1);
    }
  }
}

/** A 64-bit hash of each row's float64 bit patterns (for finding identical rows), stored as two u32. */
export function tf_row_hashes(block: usize, nRows: u32, cols: u32, rowStart: u32, out: usize): void {
  const d = <usize>cols;
  for (let r: usize = 0; r < <usize>nRows; r++) {
    const src = block + r * (d << 3);
    let h: u64 = 0x9e3779b97f4a7c15;
    for (let j: usize = 0; j < d; j++) h = rotl<u64>((h ^ load<u64>(src + (j << 3))) * 0xff51afd7ed558ccd, 29);
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53;
    h ^= h >>> 33;
    store<u64>(out + ((<usize>rowStart + r) << 3), h);
  }
}

/**
 * A 64-bit hash of each raw row of `rowBytes` bytes (a multiple of 4), stored as u64 per row: for
 * finding identical rows, whose bytes are compared afterwards.
 */
export function tf_row_hashes_raw(block: usize, nRows: u32, rowBytes: u32, rowStart: u32, out: usize): void {
  const words = <usize>(rowBytes >>> 3);
  const tail = (rowBytes & 4) != 0;
  for (let r: usize = 0; r < <usize>nRows; r++) {
    const src = block + r * <usize>rowBytes;
    // Two independent chains over alternate 8-byte words: each multiply waits for the previous one.
    let h1: u64 = 0x9e3779b97f4a7c15;
    let h2: u64 = 0x6a09e667f3bcc909;
    let j: usize = 0;
    for (; j + 2 <= words; j += 2) {
      h1 = rotl<u64>((h1 ^ load<u64>(src + (j << 3))) * 0xff51afd7ed558ccd, 29);
      h2 = rotl<u64>((h2 ^ load<u64>(src + (j << 3) + 8)) * 0xff51afd7ed558ccd, 29);
    }
    if (j < words) h1 = rotl<u64>((h1 ^ load<u64>(src + (j << 3))) * 0xff51afd7ed558ccd, 29);
    if (tail) h2 = rotl<u64>((h2 ^ <u64>load<u32>(src + (words << 3))) * 0xff51afd7ed558ccd, 29);
    let h = h1 ^ rotl<u64>(h2 * 0xc4ceb9fe1a85ec53, 31);
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53;
    h ^= h >>> 33;
    store<u64>(out + ((<usize>rowStart + r) << 3), h);
  }
}

/** 1 when p[0..m) (f32 or f64) holds a +0.0 (used to pick the sign of a zero order statistic). */
export function tf_has_positive_zero(p: usize, m: u32, isF32: i32): i32 {
  for (let i: usize = 0; i < <usize>m; i++) {
    if (isF32) {
      if (load<u32>(p + (i << 2)) == 0) return 1;
    } else if (load<u64>(p + (i << 3)) == 0) return 1;
  }
  return 0;
}


/**
 * The float64 transform (same arithmetic as tf_apply_rows, before the float32 cast) of the decoded rows
 * whose `slot[rowStart + r]` is not 0xffffffff, written to `out + slot * cols * 8`: the minority
 * training rows SMOTE needs, in their training order.
 */
export function tf_transform_rows_f64(block: usize, nRows: u32, cols: u32, rowStart: u32, slot: usize, out: usize, params: usize, clipOn: i32, imputeOn: i32, mode: i32): void {
  const d = <usize>cols;
  const pLo = params;
  const pHi = params + (d << 3);
  const pFill = params + (d << 4);
  const pA = params + 3 * (d << 3);
  const pB = params + 4 * (d << 3);
  for (let r: usize = 0; r < <usize>nRows; r++) {
    const q = load<u32>(slot + ((<usize>rowStart + r) << 2));
    if (q == 0xffffffff) continue;
    const src = block + r * (d << 3);
    const dst = out + <usize>q * (d << 3);
    for (let j: usize = 0; j < d; j++) {
      const o = j << 3;
      let x = load<f64>(src + o);
      if (clipOn) x = clipNp(x, load<f64>(pLo + o), load<f64>(pHi + o));
      if (imputeOn && x != x) x = load<f64>(pFill + o);
      if (mode == TF_SCALE_SUB_DIV) x = (x - load<f64>(pA + o)) / load<f64>(pB + o);
      else if (mode == TF_SCALE_MUL_ADD) x = x * load<f64>(pA + o) + load<f64>(pB + o);
      store<f64>(dst + o, x);
    }
  }
}

/** Casts n float64 values to float32 (round to nearest even, like numpy's astype). */
export function tf_f64_to_f32(src: usize, n: u32, dst: usize): void {
  for (let i: usize = 0; i < <usize>n; i++) store<f32>(dst + (i << 2), <f32>load<f64>(src + (i << 3)));
}

// ---- Leakage: identical rows across splits, by 64-bit row hashes ----

/** Bytes of tf_leakage's scratch for n rows. */
export function tf_leakage_scratch_bytes(n: u32): usize {
  return (<usize>n << 3) + (<usize>65536 << 2);
}

/** Sorts p[lo..hi] (u64) ascending in place: quicksort (median of three, Hoare), insertion sort below 24. */
function sortU64(p: usize, lo: isize, hi: isize): void {
  while (hi - lo >= 24) {
    partition<u64>(p, lo, hi);
    const i = partI;
    const j = partJ;
    // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
    if (j - lo < hi - i) {
      sortU64(p, lo, j);
      lo = i;
    } else {
      sortU64(p, i, hi);
      hi = j;
    }
  }
  insertionSort<u64>(p, lo, hi);
}

/**
 * Rows shared between splits by 64-bit row hash (hashes: u64 per input row; a row's split from its
 * output row dest[r]: training below b1, validation below b2, else test). One counting pass on the
 * keys' top 16 bits and one scatter pass put every key into its bucket in `scratch`
 * (tf_leakage_scratch_bytes(n)), as its low 48 bits and a 2-bit split tag; row hashes are uniform, so
 * a bucket holds ~n / 65536 keys and is sorted in cache, and runs of equal keys give the counts.
 *
 * out (u32 x 6): rows of validation whose key occurs in training, rows of test with a training key,
 * rows of test with a validation key, then the number of distinct shared keys of each pair; the
 * smallest `max` shared keys of each pair go to keysTV, keysTT, keysVT (u64 each), for the host to
 * compare those rows byte for byte.
 */
export function tf_leakage(hashes: usize, dest: usize, n: u32, b1: u32, b2: u32, scratch: usize, out: usize, keysTV: usize, keysTT: usize, keysVT: usize, max: u32): void {
  const hist = scratch;
  const part = scratch + (<usize>65536 << 2);
  memory.fill(hist, 0, 65536 << 2);
  for (let r: usize = 0; r < <usize>n; r++) {
    const h = hist + (<usize>(load<u64>(hashes + (r << 3)) >>> 48) << 2);
    store<u32>(h, load<u32>(h) + 1);
  }
  let sum: u32 = 0;
  for (let b: usize = 0; b < 65536; b++) {
    const c = load<u32>(hist + (b << 2));
    store<u32>(hist + (b << 2), sum);
    sum += c;
  }
  for (let r: usize = 0; r < <usize>n; r++) {
    const key = load<u64>(hashes + (r << 3));
    const g = load<u32>(dest + (r << 2));
    const tag: u64 = g < b1 ? 0 : g < b2 ? 1 : 2;
    const h = hist + (<usize>(key >>> 48) << 2);
    const at = load<u32>(h);
    store<u64>(part + (<usize>at << 3), ((key & 0xffffffffffff) << 2) | tag);
    store<u32>(h, at + 1);
  }
  // hist[b] is now the end of bucket b.
  let rowsTV: u32 = 0, rowsTT: u32 = 0, rowsVT: u32 = 0;
  let nTV: u32 = 0, nTT: u32 = 0, nVT: u32 = 0;
  let i: usize = 0;
  for (let b: usize = 0; b < 65536; b++) {
    const end = <usize>load<u32>(hist + (b << 2));
    if (end - i > 1) sortU64(part, <isize>i, <isize>end - 1);
    while (i < end) {
      const low = load<u64>(part + (i << 3)) >>> 2;
      let inTraining: u32 = 0, inValidation: u32 = 0, inTest: u32 = 0;
      while (i < end && load<u64>(part + (i << 3)) >>> 2 == low) {
        const tag = <u32>(load<u64>(part + (i << 3)) & 3);
        if (tag == 0) inTraining++;
        else if (tag == 1) inValidation++;
        else inTest++;
        i++;
      }
      const key = (<u64>b << 48) | low;
      if (inTraining > 0 && inValidation > 0) {
        rowsTV += inValidation;
        if (nTV < max) store<u64>(keysTV + (<usize>nTV << 3), key);
        nTV++;
      }
      if (inTraining > 0 && inTest > 0) {
        rowsTT += inTest;
        if (nTT < max) store<u64>(keysTT + (<usize>nTT << 3), key);
        nTT++;
      }
      if (inValidation > 0 && inTest > 0) {
        rowsVT += inTest;
        if (nVT < max) store<u64>(keysVT + (<usize>nVT << 3), key);
        nVT++;
      }
    }
  }
  store<u32>(out, rowsTV);
  store<u32>(out + 4, rowsTT);
  store<u32>(out + 8, rowsVT);
  store<u32>(out + 12, nTV);
  store<u32>(out + 16, nTT);
  store<u32>(out + 20, nVT);
}
