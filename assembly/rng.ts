// Kernels: rng — numpy's legacy `np.random.RandomState(int seed)` (MT19937 seeded with init_genrand,
// bounded integers by mask-and-reject, Fisher–Yates shuffle from the end) so that splits draw exactly
// the numbers scikit-learn draws. See ../shared/REFERENCE-sklearn.md §1.
//
// The generator state lives in static memory (below the arena), so no managed allocation is needed and
// the bump arena of memory.ts can never overwrite it.

const MT_N: i32 = 624;
const MT_M: i32 = 397;
const MATRIX_A: u32 = 0x9908b0df;
const UPPER_MASK: u32 = 0x80000000;
const LOWER_MASK: u32 = 0x7fffffff;

const mtState: usize = memory.data(624 * 4);
/** The current block's outputs, tempered (filled by every twist). */
const mtOut: usize = memory.data(624 * 4);
let mtPos: i32 = 624;

@inline function mtGet(i: i32): u32 {
  return load<u32>(mtState + (<usize>i << 2));
}
@inline function mtSet(i: i32, v: u32): void {
  store<u32>(mtState + (<usize>i << 2), v);
}

/** Seeds like numpy's `mt19937_seed` (the reference `init_genrand`), used for an integer seed. */
export function rng_seed(seed: u32): void {
  let s = seed;
  for (let i = 0; i < MT_N; i++) {
    mtSet(i, s);
    s = 1812433253 * (s ^ (s >>> 30)) + <u32>(i + 1);
  }
  mtPos = MT_N;
}

function twist(): void {
  let kk = 0;
  for (; kk < MT_N - MT_M; kk++) {
    const y = (mtGet(kk) & UPPER_MASK) | (mtGet(kk + 1) & LOWER_MASK);
    mtSet(kk, mtGet(kk + MT_M) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0));
  }
  for (; kk < MT_N - 1; kk++) {
    const y = (mtGet(kk) & UPPER_MASK) | (mtGet(kk + 1) & LOWER_MASK);
    mtSet(kk, mtGet(kk + (MT_M - MT_N)) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0));
  }
  const y = (mtGet(MT_N - 1) & UPPER_MASK) | (mtGet(0) & LOWER_MASK);
  mtSet(MT_N - 1, mtGet(MT_M - 1) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0));
  temperBlock();
  mtPos = 0;
}

@inline function next32(): u32 {
  if (mtPos >= MT_N) twist();
  const at = mtPos++;
  return load<u32>(mtOut + (<usize>at << 2));
}

/** Tempers the whole block after a twist (four outputs per SIMD step), so a draw is one load. */
function temperBlock(): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= MT_N; i += 4) {
      let y = v128.load(mtState + (<usize>i << 2));
      y = v128.xor(y, i32x4.shr_u(y, 11));
      y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
      y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(<i32>0xefc60000)));
      y = v128.xor(y, i32x4.shr_u(y, 18));
      v128.store(mtOut + (<usize>i << 2), y);
    }
  }
  for (; i < MT_N; i++) {
    let y = mtGet(i);
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    store<u32>(mtOut + (<usize>i << 2), y);
  }
}

/** The next 32-bit output (tempered), like numpy's `next_uint32` on the legacy MT19937. */
export function rng_next32(): u32 {
  return next32();
}

@inline function interval(max: u32): u32 {
  if (max == 0) return 0;
  // The smallest all-ones mask covering max.
  const mask = <u32>0xffffffff >>> clz(max);
  // Two candidates at once, chosen without a branch: a rejection (up to half the draws) would
  // otherwise mispredict. Only when both are rejected, or at the end of a block, the plain loop.
  if (mtPos + 2 <= MT_N) {
    const at = mtOut + (<usize>mtPos << 2);
    const v1 = load<u32>(at) & mask;
    const v2 = load<u32>(at, 4) & mask;
    const ok1 = v1 <= max;
    if (ok1 || v2 <= max) {
      mtPos += select<i32>(1, 2, ok1);
      return select<u32>(v1, v2, ok1);
    }
    mtPos += 2;
  }
  let v: u32;
  do {
    v = next32() & mask;
  } while (v > max);
  return v;
}

/** A uniform integer in [0, max] by numpy's `random_interval` (mask, then reject); max 0 draws nothing. */
export function rng_interval(max: u32): u32 {
  return interval(max);
}

// Shuffles draw SHUFFLE_BATCH positions ahead and touch them before swapping: the swaps of a large
// array are cache misses, and with the draws (and their rejection branches) out of the way the misses
// of a batch overlap instead of running one after another. Same draws, same swaps, same order.
const SHUFFLE_BATCH: u32 = 32;
// The draws of a batch, then one word the touched values are summed into (a store, so the touching
// loads are not optimised away).
const shuffleDraws: usize = memory.data(<i32>(SHUFFLE_BATCH + 1) * 4);
const touchedSum: usize = shuffleDraws + (<usize>SHUFFLE_BATCH << 2);

/** Shuffles `n` u32 values in place like `RandomState.shuffle` (i from n-1 down to 1, j = interval(i)). */
export function rng_shuffle_u32(ptr: usize, n: u32): void {
  if (n < 2) return;
  let i: u32 = n - 1;
  while (i >= 1) {
    const m = i < SHUFFLE_BATCH ? i : SHUFFLE_BATCH; // steps i, i-1, ..., i-m+1 (all >= 1)
    let sum: u32 = 0;
    for (let b: u32 = 0; b < m; b++) {
      const j = interval(i - b);
      store<u32>(shuffleDraws + (<usize>b << 2), j);
      sum += load<u32>(ptr + (<usize>j << 2));
    }
    store<u32>(touchedSum, load<u32>(touchedSum) ^ sum);
    for (let b: u32 = 0; b < m; b++) {
      const pi = ptr + (<usize>(i - b) << 2);
      const pj = ptr + (<usize>load<u32>(shuffleDraws + (<usize>b << 2)) << 2);
      const t = load<u32>(pi);
      store<u32>(pi, load<u32>(pj));
      store<u32>(pj, t);
    }
    i -= m;
  }
}

/** Writes `RandomState.permutation(n)` (0..n-1, shuffled with the current state) to `ptr`. */
export function rng_permutation_u32(ptr: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) store<u32>(ptr + (<usize>i << 2), i);
  rng_shuffle_u32(ptr, n);
}
