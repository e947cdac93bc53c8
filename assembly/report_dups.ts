// Kernels: exact duplicate-row detection, step 1 (hashing). A 32-bit hash per row of the decoded f64
// block (4 bytes per row kept for the whole file); rows whose hash occurs more than once are only
// *candidates* — src/engine/report.ts verifies them by comparing the actual row values in a later
// pass, so a hash collision can never count as a duplicate (it only adds a candidate: about n^2 / 2^33
// of them for n rows). Values are canonicalised before hashing the way the comparison treats them as equal:
// every NaN is one value and -0 equals +0.

const P1: u64 = 0x9e3779b97f4a7c15;
const P2: u64 = 0xc2b2ae3d27d4eb4f;
const CANONICAL_NAN: u64 = 0x7ff8000000000000;

@inline
function mix64(h: u64): u64 {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccd;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 33;
  return h;
}

/** Writes one u32 hash per row of the row-major f64 block into `out`. */
export function dups_row_hash(block: usize, nRows: i32, cols: i32, out: usize): void {
  const rowBytes = <usize>cols << 3;
  for (let r = 0; r < nRows; r++) {
    const row = block + <usize>r * rowBytes;
    // Four independent lanes (column c goes to lane c % 4) keep the multiply chains short.
    let h0: u64 = P2 ^ <u64>cols;
    let h1: u64 = P1;
    let h2: u64 = P2;
    let h3: u64 = P1 ^ P2;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const p = row + (<usize>c << 3);
      h0 = rotl<u64>(h0 ^ (canonical(load<f64>(p)) * P1), 27) * P2;
      h1 = rotl<u64>(h1 ^ (canonical(load<f64>(p, 8)) * P1), 27) * P2;
      h2 = rotl<u64>(h2 ^ (canonical(load<f64>(p, 16)) * P1), 27) * P2;
      h3 = rotl<u64>(h3 ^ (canonical(load<f64>(p, 24)) * P1), 27) * P2;
    }
    for (; c < cols; c++) h0 = rotl<u64>(h0 ^ (canonical(load<f64>(row + (<usize>c << 3))) * P1), 27) * P2 + 0x52dce729;
    store<u32>(out + (<usize>r << 2), <u32>(mix64(h0 ^ rotl<u64>(h1, 17) ^ rotl<u64>(h2, 31) ^ rotl<u64>(h3, 47)) >> 32));
  }
}

@inline
function canonical(x: f64): u64 {
  return x != x ? CANONICAL_NAN : reinterpret<u64>(x + 0.0);
}

/** Sorts n u32 at `data` ascending (LSD radix, two 16-bit digits); `tmp` holds n u32, `counts` 65,536 u32. */
export function dups_sort_u32(data: usize, n: i32, tmp: usize, counts: usize): void {
  let src = data;
  let dst = tmp;
  for (let shift: u32 = 0; shift < 32; shift += 16) {
    memory.fill(counts, 0, 65536 << 2);
    for (let i = 0; i < n; i++) {
      const d = <usize>((load<u32>(src + (<usize>i << 2)) >> shift) & 0xffff) << 2;
      store<u32>(counts + d, load<u32>(counts + d) + 1);
    }
    let sum: u32 = 0;
    for (let d = 0; d < 65536; d++) {
      const q = counts + (<usize>d << 2);
      const c = load<u32>(q);
      store<u32>(q, sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = load<u32>(src + (<usize>i << 2));
      const q = counts + (<usize>((v >> shift) & 0xffff) << 2);
      const at = load<u32>(q);
      store<u32>(q, at + 1);
      store<u32>(dst + (<usize>at << 2), v);
    }
    const t = src;
    src = dst;
    dst = t;
  }
  // Two digits = an even number of swaps: the result is back in `data`.
}

/** Writes each value occurring at least twice in the sorted u32 array once to `out`; returns how many. */
export function dups_repeated(sorted: usize, n: i32, out: usize): i32 {
  let m = 0;
  let i = 0;
  while (i < n) {
    const v = load<u32>(sorted + (<usize>i << 2));
    let j = i + 1;
    while (j < n && load<u32>(sorted + (<usize>j << 2)) == v) j++;
    if (j - i >= 2) {
      store<u32>(out + (<usize>m << 2), v);
      m++;
    }
    i = j;
  }
  return m;
}

/** Writes the indices (u32) of rows whose hash is in the sorted `cands` (m u32) to `out`; returns how many. */
export function dups_find(hashes: usize, nRows: i32, cands: usize, m: i32, out: usize): i32 {
  let k = 0;
  for (let r = 0; r < nRows; r++) {
    const h = load<u32>(hashes + (<usize>r << 2));
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<u32>(cands + (<usize>mid << 2)) < h) lo = mid + 1;
      else hi = mid;
    }
    if (lo < m && load<u32>(cands + (<usize>lo << 2)) == h) {
      store<u32>(out + (<usize>k << 2), <u32>r);
      k++;
    }
  }
  return k;
}
