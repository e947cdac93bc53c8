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

/**
 * Sparkline histogram: `nBins` equal bins over [mins[c], maxs[c]] (the last bin closed), finite values
 * only; `counts` is cols x nBins f64.
 */
export function stats_histogram(block: usize, nRows: i32, cols: i32, mins: usize, maxs: usize, nBins: i32, counts: usize): void {
  const rowBytes = <usize>cols << 3;
  for (let r0 = 0; r0 < nRows; r0 += TILE_ROWS) {
    const r1 = min(nRows, r0 + TILE_ROWS);
    for (let c = 0; c < cols; c++) {
      const lo = load<f64>(mins + (<usize>c << 3));
      const hi = load<f64>(maxs + (<usize>c << 3));
      if (!(hi >= lo) || !isFinite64(lo) || !isFinite64(hi)) continue;
      const width = hi - lo;
      const scale = width > 0 && isFinite64(<f64>nBins / width) ? <f64>nBins / width : 0.0;
      const out = counts + (<usize>c * <usize>nBins << 3);
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        const x = load<f64>(p);
        if (!isFinite64(x)) continue;
        // (x - lo) may overflow for huge ranges; the clamp below keeps the bin valid.
        let b = <i32>((x - lo) * scale);
        if (b >= nBins || b < 0) b = b < 0 ? 0 : nBins - 1;
        const q = out + (<usize>b << 3);
        store<f64>(q, load<f64>(q) + 1.0);
      }
    }
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
