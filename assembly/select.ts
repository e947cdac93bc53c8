// Kernels: exact order statistics by streaming radix selection (driven by src/engine/quantiles.ts).
//
// Every non-NaN f64 maps to an order-preserving u64 key (-0 is canonicalised to +0 first, so the two
// zeros share a key). Pass 1 counts keys per column by their top 16 bits (65,536 u32 bins per
// column). The host then knows, for each wanted rank, the bucket holding it; later passes visit only
// values inside those buckets ("targets"): either histogram the next 16 bits, or collect the values
// (few) so the host can sort them, or — for class separation — histogram the next few bits per class.
// -inf and +inf fall in buckets of their own (0x000f and 0xfff0), so "finite only" ranks need no
// second histogram: the host skips those two buckets.

const SIGN: u64 = 0x8000000000000000;
const BINS: i32 = 65536;
const TILE_ROWS: i32 = 256;
/**
 * select_refine's tile, in bytes of the f64 block: larger than select_hist16's, since each column's
 * tile then spreads the column's bitmap, lookup and target lines over more values: the whole of one of
 * the report's slices (CACHE_SLICE_BYTES in src/engine/report.ts), which fits a core's L2.
 */
const REFINE_TILE_BYTES: i32 = 256 << 10;

/** Target modes of select_refine. */
export const SELECT_MODE_HIST16: i32 = 0;
export const SELECT_MODE_COLLECT: i32 = 1;
export const SELECT_MODE_CLASS: i32 = 2;
/** COLLECT storing f32: for values that are all exactly float32 (a float32 file), half the memory. */
export const SELECT_MODE_COLLECT_F32: i32 = 3;
/** Key bits a class target splits its bucket by (small: the counts stay in cache). */
export const SELECT_CLASS_SUB_BITS: i32 = 6;
const CLASS_MASK: u64 = (1 << SELECT_CLASS_SUB_BITS) - 1;
const CLASS_KEYBITS_OFFSET: usize = (2 << SELECT_CLASS_SUB_BITS) << 2;
const HIST16_MINMAX_OFFSET: usize = <usize>BINS << 2;
/** Bytes per target record (see select_refine). */
export const SELECT_TARGET_BYTES: i32 = 32;
/** A record's mode and prefixBits (+4, +8) read as one u64 for a CLASS target of a whole top-16 bucket. */
const CLASS_BITS16: u64 = <u64>SELECT_MODE_CLASS | (<u64>16 << 32);
/** A lookup entry of 0 (no target), read for values whose bucket bit is clear. */
const NO_TARGET: usize = memory.data(2, 2);
/** A CLASS target (record, then its never-read counts and key bits) that values in no target update. */
const MISS_TARGET: usize = memory.data(SELECT_TARGET_BYTES + <i32>CLASS_KEYBITS_OFFSET + 16, 16);

@inline
function keyOf(x: f64): u64 {
  const b = reinterpret<u64>(x + 0.0);
  return (b & SIGN) != 0 ? ~b : b | SIGN;
}

/**
 * Pass 1: counts every non-NaN value of every column by the top 16 bits of its key (u32 bins,
 * column c at hist + c * 65536 * 4). When `mask` != 0, rows with mask byte 0 are skipped. When
 * `classes` != 0, `hist` holds three such tables — class 0, class 1, any other class byte — and each
 * value is counted once, in its row's table (the host adds them up for the all-rows histogram).
 */
export function select_hist16(block: usize, nRows: i32, cols: i32, mask: usize, hist: usize, classes: usize): void {
  const rowBytes = <usize>cols << 3;
  const tableBytes = <usize>cols * <usize>BINS << 2;
  for (let r0 = 0; r0 < nRows; r0 += TILE_ROWS) {
    const r1 = min(nRows, r0 + TILE_ROWS);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      // Two adjacent columns per v128: one mask and class lookup per row for both, and keyOf's
      // arithmetic (the same bits lane by lane) once for two values.
      const zero = f64x2.splat(0.0);
      const sign = i64x2.splat(<i64>SIGN);
      for (; c + 2 <= cols; c += 2) {
        const h = hist + (<usize>c * <usize>BINS << 2);
        let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
        for (let r = r0; r < r1; r++, p += rowBytes) {
          if (mask != 0 && load<u8>(mask + <usize>r) == 0) continue;
          const x = v128.load(p);
          const b = f64x2.add(x, zero);
          const top = i64x2.shr_u(v128.xor(b, v128.or(i64x2.shr_s(b, 63), sign)), 48);
          let q = h;
          if (classes != 0) q += <usize>min<u32>(<u32>load<u8>(classes + <usize>r), 2) * tableBytes;
          const x0 = f64x2.extract_lane(x, 0);
          const x1 = f64x2.extract_lane(x, 1);
          if (x0 == x0) {
            const q0 = q + (<usize>i64x2.extract_lane(top, 0) << 2);
            store<u32>(q0, load<u32>(q0) + 1);
          }
          if (x1 == x1) {
            const q1 = q + (<usize>BINS << 2) + (<usize>i64x2.extract_lane(top, 1) << 2);
            store<u32>(q1, load<u32>(q1) + 1);
          }
        }
      }
    }
    for (; c < cols; c++) {
      const h = hist + (<usize>c * <usize>BINS << 2);
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        if (mask != 0 && load<u8>(mask + <usize>r) == 0) continue;
        const x = load<f64>(p);
        if (x != x) continue;
        let q = h + (<usize>(keyOf(x) >> 48) << 2);
        if (classes != 0) q += <usize>min<u32>(<u32>load<u8>(classes + <usize>r), 2) * tableBytes;
        store<u32>(q, load<u32>(q) + 1);
      }
    }
  }
}

/**
 * Later passes: visits values whose key starts with a target's prefix. `lookup` holds, per column,
 * 65,536 u16 entries: 1 + the index of the first target whose prefix starts with that top-16 bucket
 * (0 = none); targets sharing a bucket are chained through `next`. `bits` holds, per column, 65,536 bits
 * (8 KiB): set where the lookup entry is not 0 — the test most values stop at, small enough to stay in
 * cache where the lookup tables (128 KiB a column) do not. Target record (32 bytes):
 *   +0 col u32 | +4 mode i32 | +8 prefixBits i32 (16..48) | +12 fill u32 (collect count)
 *   +16 prefix u64 (the key's top prefixBits bits) | +24 out ptr u32 | +28 next (1 + index, 0 = end)
 * HIST16: out u32[65536] counts the next 16 bits, then u64 min key and u64 max key; COLLECT: out f64[] receives the values (with -0 as
 * +0); COLLECT_F32: the same as f32[] (the host uses it only when every value is exactly a float32); CLASS: out u32[2 * 2^SUB] counts the next SUB = SELECT_CLASS_SUB_BITS bits for class-0 then
 * class-1 rows (prefixBits <= 64 - SUB), then the u64 OR and the u64 AND of those values' keys (the
 * host sets them to 0 and ~0): their XOR is the key bits that vary inside the target.
 */
export function select_refine(
  block: usize, nRows: i32, cols: i32, mask: usize, classes: usize, lookup: usize, targets: usize, bits: usize,
): void {
  const rowBytes = <usize>cols << 3;
  store<u64>(MISS_TARGET, CLASS_BITS16, 4);
  store<u32>(MISS_TARGET, <u32>(MISS_TARGET + <usize>SELECT_TARGET_BYTES), 24);
  store<u32>(MISS_TARGET, 0, 28);
  const tileRows = max(1, REFINE_TILE_BYTES / (cols << 3));
  for (let r0 = 0; r0 < nRows; r0 += tileRows) {
    const r1 = min(nRows, r0 + tileRows);
    for (let c = 0; c < cols; c++) {
      const lk = lookup + (<usize>c * <usize>BINS << 1);
      const bm = bits + (<usize>c * <usize>BINS >> 3);
      let p = block + <usize>r0 * rowBytes + (<usize>c << 3);
      for (let r = r0; r < r1; r++, p += rowBytes) {
        if (mask != 0 && load<u8>(mask + <usize>r) == 0) continue;
        const x = load<f64>(p);
        if (x != x) continue;
        const key = keyOf(x);
        const top = <usize>(key >> 48);
        // Branch-free: a value outside every target (often a fifth of them, in no predictable order)
        // updates the scratch MISS_TARGET instead of costing a mispredicted branch.
        const hit = ((<u32>load<u8>(bm + (top >> 3)) >> <u32>(top & 7)) & 1) != 0;
        let t = <u32>load<u16>(select<usize>(lk + (top << 1), NO_TARGET, hit));
        // The common case first: the chain's head is a class target of the whole bucket (prefix length
        // 16, so the bucket lookup already matched its prefix), as for the heaviest buckets.
        let rec = select<usize>(targets + <usize>(t - 1) * <usize>SELECT_TARGET_BYTES, MISS_TARGET, t != 0);
        if (load<u64>(rec, 4) == CLASS_BITS16) {
          classCount(rec, key, 16, classes, r);
          t = load<u32>(rec, 28);
        }
        while (t != 0) {
          rec = targets + <usize>(t - 1) * <usize>SELECT_TARGET_BYTES;
          t = load<u32>(rec, 28);
          const bits = load<i32>(rec, 8);
          if (key >> <u64>(64 - bits) != load<u64>(rec, 16)) continue;
          const mode = load<i32>(rec, 4);
          const out = <usize>load<u32>(rec, 24);
          if (mode == SELECT_MODE_HIST16) {
            const q = out + (<usize>((key >> <u64>(48 - bits)) & 0xffff) << 2);
            store<u32>(q, load<u32>(q) + 1);
            // Smallest and largest key: equal means one value fills the bucket (no deeper pass needed).
            const mm = out + HIST16_MINMAX_OFFSET;
            if (key < load<u64>(mm)) store<u64>(mm, key);
            if (key > load<u64>(mm, 8)) store<u64>(mm, key, 8);
          } else if (mode == SELECT_MODE_COLLECT) {
            const fill = load<u32>(rec, 12);
            store<f64>(out + (<usize>fill << 3), x + 0.0);
            store<u32>(rec, fill + 1, 12);
          } else if (mode == SELECT_MODE_COLLECT_F32) {
            const fill = load<u32>(rec, 12);
            store<f32>(out + (<usize>fill << 2), <f32>(x + 0.0));
            store<u32>(rec, fill + 1, 12);
          } else {
            classCount(rec, key, bits, classes, r);
          }
        }
      }
    }
  }
}

/** A CLASS target's update for one value (see select_refine). */
@inline
function classCount(rec: usize, key: u64, bits: i32, classes: usize, r: i32): void {
  const cl = classes != 0 ? load<u8>(classes + <usize>r) : 255;
  if (cl <= 1) {
    const out = <usize>load<u32>(rec, 24);
    const sub = <usize>((key >> <u64>(64 - SELECT_CLASS_SUB_BITS - bits)) & CLASS_MASK);
    const q = out + ((<usize>cl << SELECT_CLASS_SUB_BITS) + sub << 2);
    store<u32>(q, load<u32>(q) + 1);
    // No varying bit below the sub-bin's: each sub-bin holds one value (exact ties), e.g. a
    // bucket of a few integers. As cheap as a min / max (one line per target, in cache),
    // where a key per sub-bin would cost every value of a continuous column a second line.
    const kb = out + CLASS_KEYBITS_OFFSET;
    if (ASC_FEATURE_SIMD) {
      // Both in one load and store: lane 0 = (OR | key) & ~0, lane 1 = (AND | 0) & key.
      const k = i64x2.splat(<i64>key);
      const lo = v128.and(k, i64x2(-1, 0));
      const hi = v128.or(k, i64x2(-1, 0));
      v128.store(kb, v128.and(v128.or(v128.load(kb), lo), hi));
    } else {
      store<u64>(kb, load<u64>(kb) | key);
      store<u64>(kb, load<u64>(kb, 8) & key, 8);
    }
  }
}

/**
 * Finds the bin of `hist` (u32[nBins]) holding 0-based `rank` counted from bin `from`; writes
 * out[0] = bin, out[1] = count before the bin, out[2] = count in the bin (f64). Bin -1 if rank is beyond.
 */
export function select_locate(hist: usize, nBins: i32, from: i32, rank: f64, out: usize): void {
  let before: f64 = 0;
  for (let b = from; b < nBins; b++) {
    const n = <f64>load<u32>(hist + (<usize>b << 2));
    if (rank < before + n) {
      store<f64>(out, <f64>b);
      store<f64>(out, before, 8);
      store<f64>(out, n, 16);
      return;
    }
    before += n;
  }
  store<f64>(out, -1.0);
  store<f64>(out, before, 8);
  store<f64>(out, 0.0, 16);
}
