// Kernels: per-column statistics over row-major f64 blocks (rows x cols, as src/engine/stream.ts
// hands them out). Finite values only; NaN = missing, +-inf counted apart.
//
// Sums run sequentially down each column in row order — the order numpy uses for a C-ordered
// (n, d >= 2) array reduced over axis 0 — so the mean and the two-pass variance equal numpy's
// nanmean / nanstd bit for bit. The SIMD body handles two adjacent columns per v128 and keeps that
// per-column order, so the SIMD and scalar builds agree exactly. Rows are processed in tiles so a
// tile stays in cache while every column pair walks down it with its accumulators in registers.

/** Field offsets (in units of `cols` f64) of the pass-1 accumulator array; see STATS_FIELDS. */
export const STATS_COUNT: i32 = 0;
export const STATS_MISSING: i32 = 1;
export const STATS_POSINF: i32 = 2;
export const STATS_NEGINF: i32 = 3;
export const STATS_ZEROS: i32 = 4;
export const STATS_MIN: i32 = 5;
export const STATS_MAX: i32 = 6;
export const STATS_SUM: i32 = 7;
export const STATS_FIELDS: i32 = 8;

const TILE_ROWS: i32 = 64;

@inline
function isFinite64(x: f64): bool {
  return x - x == 0;
}

/**
 * Pass 1: count, missing, +inf, -inf, zeros, min, max, sum per column, accumulated into `acc`
 * (STATS_FIELDS x cols f64, field-major; min must start at +inf and max at -inf).
 */
export function stats_basic(block: usize, nRows: i32, cols: i32, acc: usize): void {
  const rowBytes = <usize>cols << 3;
  const fieldBytes = <usize>cols << 3;
  for (let r0 = 0; r0 < nRows; r0 += TILE_ROWS) {
    const r1 = min(nRows, r0 + TILE_ROWS);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const one = f64x2.splat(1.0);
      const zero = f64x2.splat(0.0);
      const pinf = f64x2.splat(Infinity);
      const ninf = f64x2.splat(-Infinity);
      for (; c + 2 <= cols; c += 2) {
        const a = acc + (<usize>c << 3);
        let cnt = v128.load(a + fieldBytes * STATS_COUNT);
        let miss = v128.load(a + fieldBytes * STATS_MISSING);
        let pi = v128.load(a + fieldBytes * STATS_POSINF);
        let ni = v128.load(a + fieldBytes * STATS_NEGINF);
        let zs = v128.load(a + fieldBytes * STATS_ZEROS);
        let mn = v128.load(a + fieldBytes * STATS_MIN);
        let mx = v128.load(a + fieldBytes * STATS_MAX);
        let sum = v128.load(a + fieldBytes * STATS_SUM);
        let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
        for (let r = r0; r < r1; r++, p += rowBytes) {
          const x = v128.load(p);
          const fin = f64x2.eq(f64x2.sub(x, x), zero);
          cnt = f64x2.add(cnt, v128.and(fin, one));
          sum = f64x2.add(sum, v128.and(fin, x));
          miss = f64x2.add(miss, v128.and(f64x2.ne(x, x), one));
          pi = f64x2.add(pi, v128.and(f64x2.eq(x, pinf), one));
          ni = f64x2.add(ni, v128.and(f64x2.eq(x, ninf), one));
          zs = f64x2.add(zs, v128.and(f64x2.eq(x, zero), one));
          mn = f64x2.pmin(mn, v128.bitselect(x, pinf, fin));
          mx = f64x2.pmax(mx, v128.bitselect(x, ninf, fin));
        }
        v128.store(a + fieldBytes * STATS_COUNT, cnt);
        v128.store(a + fieldBytes * STATS_MISSING, miss);
        v128.store(a + fieldBytes * STATS_POSINF, pi);
        v128.store(a + fieldBytes * STATS_NEGINF, ni);
        v128.store(a + fieldBytes * STATS_ZEROS, zs);
        v128.store(a + fieldBytes * STATS_MIN, mn);
        v128.store(a + fieldBytes * STATS_MAX, mx);
        v128.store(a + fieldBytes * STATS_SUM, sum);
      }
    }
    for (; c < cols; c++) {
      const a = acc + (<usize>c << 3);
      let cnt = load<f64>(a + fieldBytes * STATS_COUNT);
      let miss = load<f64>(a + fieldBytes * STATS_MISSING);
      let pi = load<f64>(a + fieldBytes * STATS_POSINF);
      let ni = load<f64>(a + fieldBytes * STATS_NEGINF);
      let zs = load<f64>(a + fieldBytes * STATS_ZEROS);
      let mn = load<f64>(a + fieldBytes * STATS_MIN);
      let mx = load<f64>(a + fieldBytes * STATS_MAX);
      let sum = load<f64>(a + fieldBytes * STATS_SUM);
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        const x = load<f64>(p);
        if (isFinite64(x)) {
          cnt += 1.0;
          sum += x;
          if (x < mn) mn = x;
          if (x > mx) mx = x;
          if (x == 0) zs += 1.0;
        } else if (x != x) {
          miss += 1.0;
        } else if (x > 0) {
          pi += 1.0;
        } else {
          ni += 1.0;
        }
      }
      store<f64>(a + fieldBytes * STATS_COUNT, cnt);
      store<f64>(a + fieldBytes * STATS_MISSING, miss);
      store<f64>(a + fieldBytes * STATS_POSINF, pi);
      store<f64>(a + fieldBytes * STATS_NEGINF, ni);
      store<f64>(a + fieldBytes * STATS_ZEROS, zs);
      store<f64>(a + fieldBytes * STATS_MIN, mn);
      store<f64>(a + fieldBytes * STATS_MAX, mx);
      store<f64>(a + fieldBytes * STATS_SUM, sum);
    }
  }
}

/**
 * Pass 2: central moments about the final `means` (cols f64): acc[0..cols) += sum d^2 and
 * acc[cols..2 cols) += sum d^3, d = x - mean over finite x (numpy nanvar's order: sequential per column).
 */
export function stats_central(block: usize, nRows: i32, cols: i32, means: usize, acc: usize): void {
  const rowBytes = <usize>cols << 3;
  const fieldBytes = <usize>cols << 3;
  for (let r0 = 0; r0 < nRows; r0 += TILE_ROWS) {
    const r1 = min(nRows, r0 + TILE_ROWS);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const zero = f64x2.splat(0.0);
      for (; c + 2 <= cols; c += 2) {
        const a = acc + (<usize>c << 3);
        const m = v128.load(means + (<usize>c << 3));
        let s2 = v128.load(a);
        let s3 = v128.load(a + fieldBytes);
        let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
        for (let r = r0; r < r1; r++, p += rowBytes) {
          const x = v128.load(p);
          const fin = f64x2.eq(f64x2.sub(x, x), zero);
          const d = v128.and(fin, f64x2.sub(x, m));
          const d2 = f64x2.mul(d, d);
          s2 = f64x2.add(s2, d2);
          s3 = f64x2.add(s3, f64x2.mul(d2, d));
        }
        v128.store(a, s2);
        v128.store(a + fieldBytes, s3);
      }
    }
    for (; c < cols; c++) {
      const a = acc + (<usize>c << 3);
      const m = load<f64>(means + (<usize>c << 3));
      let s2 = load<f64>(a);
      let s3 = load<f64>(a + fieldBytes);
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        const x = load<f64>(p);
        const d = isFinite64(x) ? x - m : 0.0;
        const d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
      }
      store<f64>(a, s2);
      store<f64>(a + fieldBytes, s3);
    }
  }
}

/**
 * Pass 2: Gram matrix of mean-centred values (non-finite -> 0, i.e. mean imputation) for Pearson r.
 * `centred` is scratch of 4 * cols f64; `gram` is cols x cols f64 (upper triangle incl. diagonal is
 * accumulated). Four rows share each load/store of the Gram entries; groups of four start at block
 * row 0, so the summation order is independent of the window size as long as blocks hold a multiple
 * of four rows (RowStream guarantees it).
 */
export function stats_gram(block: usize, nRows: i32, cols: i32, means: usize, centred: usize, gram: usize): void {
  const rowBytes = <usize>cols << 3;
  let r = 0;
  for (; r < nRows; r += 4) {
    const k = min(4, nRows - r);
    // Centre up to four rows into scratch (missing rows of a short tail are zero).
    for (let q = 0; q < 4; q++) {
      const dst = centred + <usize>q * rowBytes;
      if (q >= k) {
        memory.fill(dst, 0, rowBytes);
        continue;
      }
      const src = block + <usize>(r + q) * rowBytes;
      for (let c = 0; c < cols; c++) {
        const x = load<f64>(src + (<usize>c << 3));
        store<f64>(dst + (<usize>c << 3), isFinite64(x) ? x - load<f64>(means + (<usize>c << 3)) : 0.0);
      }
    }
    const c0 = centred;
    const c1 = centred + rowBytes;
    const c2 = centred + rowBytes * 2;
    const c3 = centred + rowBytes * 3;
    for (let i = 0; i < cols; i++) {
      const io = <usize>i << 3;
      const g = gram + <usize>i * rowBytes;
      let j = i;
      if (ASC_FEATURE_SIMD) {
        if ((j & 1) == 1) {
          const jo = <usize>j << 3;
          // Same order as the scalar body below: the four products first, then into the Gram entry.
          let s = load<f64>(c0 + io) * load<f64>(c0 + jo);
          s += load<f64>(c1 + io) * load<f64>(c1 + jo);
          s += load<f64>(c2 + io) * load<f64>(c2 + jo);
          s += load<f64>(c3 + io) * load<f64>(c3 + jo);
          store<f64>(g + jo, load<f64>(g + jo) + s);
          j++;
        }
        const a0 = f64x2.splat(load<f64>(c0 + io));
        const a1 = f64x2.splat(load<f64>(c1 + io));
        const a2 = f64x2.splat(load<f64>(c2 + io));
        const a3 = f64x2.splat(load<f64>(c3 + io));
        for (; j + 2 <= cols; j += 2) {
          const jo = <usize>j << 3;
          let s = f64x2.mul(a0, v128.load(c0 + jo));
          s = f64x2.add(s, f64x2.mul(a1, v128.load(c1 + jo)));
          s = f64x2.add(s, f64x2.mul(a2, v128.load(c2 + jo)));
          s = f64x2.add(s, f64x2.mul(a3, v128.load(c3 + jo)));
          v128.store(g + jo, f64x2.add(v128.load(g + jo), s));
        }
      }
      for (; j < cols; j++) {
        const jo = <usize>j << 3;
        let s = load<f64>(c0 + io) * load<f64>(c0 + jo);
        s += load<f64>(c1 + io) * load<f64>(c1 + jo);
        s += load<f64>(c2 + io) * load<f64>(c2 + jo);
        s += load<f64>(c3 + io) * load<f64>(c3 + jo);
        store<f64>(g + jo, load<f64>(g + jo) + s);
      }
    }
  }
}

/** Largest `nBins` of stats_histogram (the size of its static count scratch). */
export const STATS_HISTOGRAM_MAX_BINS: i32 = 1024;
/**
 * stats_histogram's count scratch: up to four u32 tables of nBins + 1 bins (the last one takes the SIMD
 * body's non-finite values), one per column of a pair and row parity. Consecutive values often fall in
 * the same bin; in one table each increment would wait for the previous one's store, so alternate rows
 * count apart and the tables are added up at the end.
 */
const HIST_SCRATCH: usize = memory.data(4 * (STATS_HISTOGRAM_MAX_BINS + 1) * 4, 16);
/**
 * stats_histogram's row tile in bytes of the block: the block's slice of the report (CACHE_SLICE_BYTES in
 * src/engine/report.ts) in one tile, so each column's scratch is flushed once per call, not per 64 rows.
 */
const HIST_TILE_BYTES: i32 = 256 << 10;

/**
 * Sparkline histogram: `nBins` (<= STATS_HISTOGRAM_MAX_BINS) equal bins over [mins[c], maxs[c]] (the
 * last bin closed), finite values only; `counts` is cols x nBins f64. Counts go to u32 scratch first
 * (integer adds; exact, since a call adds fewer than 2^32 to any bin) and then to the f64 counts.
 * The SIMD body bins two adjacent columns per v128 with the scalar body's arithmetic lane by lane
 * (sub, mul, saturating truncation, clamp), so both builds count the same.
 */
export function stats_histogram(block: usize, nRows: i32, cols: i32, mins: usize, maxs: usize, nBins: i32, counts: usize): void {
  // More bins than the scratch holds would count over other static data: trap instead.
  if (nBins > STATS_HISTOGRAM_MAX_BINS) unreachable();
  const rowBytes = <usize>cols << 3;
  const tileRows = max(1, HIST_TILE_BYTES / (cols << 3));
  const table = (<usize>nBins + 1) << 2;
  for (let r0 = 0; r0 < nRows; r0 += tileRows) {
    const r1 = min(nRows, r0 + tileRows);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const top = i32x4.splat(nBins - 1);
      const dump = i32x4.splat(nBins);
      for (; c + 2 <= cols; c += 2) {
        const scale0 = histScale(mins, maxs, c, nBins);
        const scale1 = histScale(mins, maxs, c + 1, nBins);
        // A column without a finite range counts nothing: the pair goes to the scalar body.
        if (scale0 < 0 || scale1 < 0) {
          histColumn(block, r0, r1, rowBytes, c, mins, scale0, nBins, counts);
          histColumn(block, r0, r1, rowBytes, c + 1, mins, scale1, nBins, counts);
          continue;
        }
        const lo = v128.load(mins + (<usize>c << 3));
        const scale = f64x2(scale0, scale1);
        const zero = f64x2.splat(0.0);
        memory.fill(HIST_SCRATCH, 0, table << 2);
        let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
        for (let r = r0; r < r1; r++, p += rowBytes) {
          const t = HIST_SCRATCH + <usize>(r & 1) * (table << 1);
          const x = v128.load(p);
          const fin = f64x2.eq(f64x2.sub(x, x), zero);
          // (x - lo) may overflow for huge ranges; the clamp keeps the bin valid.
          let b = i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(x, lo), scale));
          b = i32x4.min_s(i32x4.max_s(b, i32x4.splat(0)), top);
          b = v128.bitselect(b, dump, i8x16.shuffle(fin, fin, 0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11));
          const q0 = t + (<usize>i32x4.extract_lane(b, 0) << 2);
          const q1 = t + table + (<usize>i32x4.extract_lane(b, 1) << 2);
          store<u32>(q0, load<u32>(q0) + 1);
          store<u32>(q1, load<u32>(q1) + 1);
        }
        histFlush(HIST_SCRATCH, HIST_SCRATCH + (table << 1), nBins, counts + (<usize>c * <usize>nBins << 3));
        histFlush(HIST_SCRATCH + table, HIST_SCRATCH + table * 3, nBins, counts + (<usize>(c + 1) * <usize>nBins << 3));
      }
    }
    for (; c < cols; c++) {
      histColumn(block, r0, r1, rowBytes, c, mins, histScale(mins, maxs, c, nBins), nBins, counts);
    }
  }
}

/** Column c's bins per unit (0 for a zero width), or -1 when its range is not finite (no counts). */
@inline
function histScale(mins: usize, maxs: usize, c: i32, nBins: i32): f64 {
  const lo = load<f64>(mins + (<usize>c << 3));
  const hi = load<f64>(maxs + (<usize>c << 3));
  if (!(hi >= lo) || !isFinite64(lo) || !isFinite64(hi)) return -1.0;
  const width = hi - lo;
  return width > 0 && isFinite64(<f64>nBins / width) ? <f64>nBins / width : 0.0;
}

/** stats_histogram's scalar body for column c over rows [r0, r1). */
function histColumn(block: usize, r0: i32, r1: i32, rowBytes: usize, c: i32, mins: usize, scale: f64, nBins: i32, counts: usize): void {
  if (scale < 0) return;
  const lo = load<f64>(mins + (<usize>c << 3));
  const odd = HIST_SCRATCH + (<usize>nBins << 2);
  memory.fill(HIST_SCRATCH, 0, <usize>nBins << 3);
  let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
  let r = r0;
  for (; r + 2 <= r1; r += 2, p += rowBytes << 1) {
    histCount(HIST_SCRATCH, load<f64>(p), lo, scale, nBins);
    histCount(odd, load<f64>(p + rowBytes), lo, scale, nBins);
  }
  if (r < r1) histCount(HIST_SCRATCH, load<f64>(p), lo, scale, nBins);
  histFlush(HIST_SCRATCH, odd, nBins, counts + (<usize>c * <usize>nBins << 3));
}

@inline
function histCount(table: usize, x: f64, lo: f64, scale: f64, nBins: i32): void {
  if (!isFinite64(x)) return;
  // (x - lo) may overflow for huge ranges; the clamp below keeps the bin valid.
  let b = <i32>((x - lo) * scale);
  if (b >= nBins || b < 0) b = b < 0 ? 0 : nBins - 1;
  const q = table + (<usize>b << 2);
  store<u32>(q, load<u32>(q) + 1);
}

/** Adds the u32 tables `even` and `odd` (nBins each) to the f64 counts at `out`. */
@inline
function histFlush(even: usize, odd: usize, nBins: i32, out: usize): void {
  for (let b = 0; b < nBins; b++) {
    const q = out + (<usize>b << 3);
    const n = load<u32>(even + (<usize>b << 2)) + load<u32>(odd + (<usize>b << 2));
    store<f64>(q, load<f64>(q) + <f64>n);
  }
}

/** Counts finite values outside [lo[c], hi[c]] per column into `counts` (cols f64). */
export function stats_count_outside(block: usize, nRows: i32, cols: i32, lo: usize, hi: usize, counts: usize): void {
  const rowBytes = <usize>cols << 3;
  for (let r0 = 0; r0 < nRows; r0 += TILE_ROWS) {
    const r1 = min(nRows, r0 + TILE_ROWS);
    for (let c = 0; c < cols; c++) {
      const l = load<f64>(lo + (<usize>c << 3));
      const h = load<f64>(hi + (<usize>c << 3));
      let n: f64 = 0;
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        const x = load<f64>(p);
        // NaN and +-inf excluded; NaN bounds count nothing.
        if (isFinite64(x) && (x < l || x > h)) n += 1.0;
      }
      store<f64>(counts + (<usize>c << 3), load<f64>(counts + (<usize>c << 3)) + n);
    }
  }
}
