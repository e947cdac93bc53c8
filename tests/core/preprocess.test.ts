import { describe, it, expect, beforeAll } from 'vitest';
import { instantiateKernels, type Kernels } from '../../src/engine/wasm';
import { allocFitScratch, clipNumpy, fitColumn } from '../../src/core/preprocess';
import { percentileLinear } from '../../src/core/numpy-order-stats';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';

/** A seeded xorshift for test data. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** numpy's linear percentile on an already sorted array (the plain float64 reference). */
function npPercentile(sorted: number[], q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const vi = (m - 1) * (q / 100);
  if (vi >= m - 1) {
    const a = sorted[m - 1]!;
    const g = vi + 1;
    const d = a - a;
    return g >= 0.5 ? a - d * (1 - g) : a + d * g;
  }
  const lo = Math.floor(vi);
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const g = vi - lo;
  return g >= 0.5 ? b - (b - a) * (1 - g) : a + (b - a) * g;
}

describe.each(['simd', 'scalar'] as const)('preprocessing kernels (%s build) against plain float64 references', (flavour) => {
  let k: Kernels;
  beforeAll(async () => {
    k = await instantiateKernels(flavour);
  });

  it('radix selection of float32 values returns the sorted values at any ranks (ties, ±inf, odd sizes)', () => {
    const r = rng(7);
    for (const n of [1, 2, 3, 17, 255, 1001, 65537]) {
      k.reset();
      const vals = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const u = r();
        vals[i] = u < 0.05 ? Infinity : u < 0.1 ? -Infinity : u < 0.3 ? Math.round(r() * 5) : (r() - 0.5) * 1e6;
      }
      const sorted = Array.from(vals).sort((a, b) => a - b);
      const ranks = [...new Set([0, n - 1, Math.floor(n / 2), Math.floor(r() * n), Math.floor(r() * n), Math.floor(n / 4)])].sort((a, b) => a - b);
      const s = allocFitScratch(k, n, true);
      k.f32(s.valuesPtr, n).set(vals);
      k.u32(s.ranksPtr, ranks.length).set(ranks);
      k.exports.tf_select_ranks_f32(s.valuesPtr, n, s.ranksPtr, ranks.length, s.outPtr, s.histPtr, s.slotsPtr, s.workPtr, s.bucketPtr);
      expect(Array.from(k.f64(s.outPtr, ranks.length)), `n=${n}`).toEqual(ranks.map((i) => sorted[i]));
    }
  });

  it('quickselect of float64 values returns the sorted values at any ranks', () => {
    const r = rng(11);
    for (const n of [1, 5, 24, 25, 999, 20000]) {
      k.reset();
      const vals = Float64Array.from({ length: n }, () => (r() < 0.2 ? 3 : r() * 100 - 50));
      const sorted = Array.from(vals).sort((a, b) => a - b);
      const ranks = [...new Set([0, n - 1, Math.floor(n / 3), Math.floor((2 * n) / 3)])].sort((a, b) => a - b);
      const s = allocFitScratch(k, n, false);
      k.f64(s.valuesPtr, n).set(vals);
      k.u32(s.ranksPtr, ranks.length).set(ranks);
      k.exports.tf_select_ranks(s.valuesPtr, n, s.ranksPtr, ranks.length, s.outPtr);
      expect(Array.from(k.f64(s.outPtr, ranks.length)), `n=${n}`).toEqual(ranks.map((i) => sorted[i]));
    }
  });

  it('fits clip -> median -> robust like the float64 reference on a column with NaN', () => {
    const r = rng(3);
    const n = 777;
    const col = Float32Array.from({ length: n }, () => (r() < 0.1 ? NaN : Math.fround((r() - 0.3) * 40)));
    k.reset();
    const s = allocFitScratch(k, n, true);
    const ptr = k.alloc(n * 4);
    k.f32(ptr, n).set(col);
    const fit = fitColumn(k, ptr, n, 0, DEFAULT_PREPARE_SETTINGS, s, false);
    const present = Array.from(col).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
    const lo = npPercentile(present, 1);
    const hi = npPercentile(present, 99);
    expect(fit.clipLo).toBe(lo);
    expect(fit.clipHi).toBe(hi);
    const clipped = present.map((v) => clipNumpy(v, lo, hi));
    const h = clipped.length >> 1;
    const median = clipped.length % 2 ? (clipped[h]! + clipped[h]!) / 2 : (clipped[h - 1]! + clipped[h]!) / 2;
    expect(fit.statistic).toBe(median);
    const imputed = Array.from(col, (v) => (Number.isNaN(v) ? median : clipNumpy(v, lo, hi))).sort((a, b) => a - b);
    const center = n % 2 ? imputed[n >> 1]! : (imputed[(n >> 1) - 1]! + imputed[n >> 1]!) / 2;
    expect(fit.scaler.center_).toBe(center);
    expect(fit.scaler.scale_).toBe(npPercentile(imputed, 75) - npPercentile(imputed, 25));
    expect(percentileLinear((i) => present[i]!, present.length, 50)).toBe(npPercentile(present, 50));
  });

  it('clips like np.clip: NaN stays NaN and -0.0 clipped at 0.0 becomes +0.0', () => {
    expect(clipNumpy(NaN, 0, 1)).toBeNaN();
    expect(Object.is(clipNumpy(-0, 0, 1), 0)).toBe(true);
    expect(clipNumpy(5, 0, 1)).toBe(1);
    expect(clipNumpy(-5, 0, 1)).toBe(0);
  });

  it('radix-sorts u64 row hashes and intersects two sorted key lists', () => {
    const r = rng(5);
    const n = 5000;
    k.reset();
    const a = BigUint64Array.from({ length: n }, () => BigInt(Math.floor(r() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(r() * 2 ** 32)));
    const b = BigUint64Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? a[i * 7]! : BigInt(Math.floor(r() * 2 ** 52))));
    const pa = k.alloc(n * 8);
    const pb = k.alloc(300 * 8);
    const scratch = k.alloc(n * 8);
    const hist = k.alloc(65536 * 4);
    const out = k.alloc(1000 * 8);
    const cnt = k.alloc(8);
    new BigUint64Array(k.exports.memory.buffer, pa, n).set(a);
    new BigUint64Array(k.exports.memory.buffer, pb, 300).set(b);
    k.exports.tf_sort_u64(pa, n, scratch, hist);
    k.exports.tf_sort_u64(pb, 300, scratch, hist);
    expect(Array.from(new BigUint64Array(k.exports.memory.buffer, pa, n))).toEqual(Array.from(a).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    const rows = k.exports.tf_common_keys(pa, n, pb, 300, out, 1000, cnt);
    const inA = new Set(a);
    expect(rows).toBe(Array.from(b).filter((v) => inA.has(v)).length);
    expect(rows).toBe(100);
  });

  it('sorts u64 keys that share their top 16 bits (one large bucket, many duplicates)', () => {
    const r = rng(9);
    const n = 20000;
    k.reset();
    const a = BigUint64Array.from({ length: n }, (_, i) => 0xabcdn * 2n ** 48n + (i % 5 === 0 ? 12345n : BigInt(Math.floor(r() * 2 ** 40))));
    const pa = k.alloc(n * 8);
    const scratch = k.alloc(n * 8);
    const hist = k.alloc(65536 * 4);
    new BigUint64Array(k.exports.memory.buffer, pa, n).set(a);
    k.exports.tf_sort_u64(pa, n, scratch, hist);
    expect(Array.from(new BigUint64Array(k.exports.memory.buffer, pa, n))).toEqual(Array.from(a).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });
});

describe('the preprocessing list in features_metadata.json', () => {
  it('names the clip percentiles with English ordinals (a "1th" once shipped)', async () => {
    const { ordinal } = await import('../../src/engine/prepare');
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 99, 100, 2.5].map(ordinal)).toEqual(
      ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '99th', '100th', '2.5th'],
    );
  });
});
