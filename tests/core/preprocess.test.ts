import { describe, it, expect, beforeAll } from 'vitest';
import { instantiateKernels, type Kernels } from '../../src/engine/wasm';
import { allocFitScratch, clipNumpy, fitColumn } from '../../src/core/preprocess';
import { percentileLinear } from '../../src/core/numpy-order-stats';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { makeRandom as rng } from '../e2e/reference';

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

  it('radix selection treats -0.0 and +0.0 as one value, also when neighbouring values share a bucket', () => {
    // The SIMD build computes the keys of four values at once and collects them four at a time: zeros
    // of both signs, runs of equal values and lengths that are not a multiple of four.
    const r = rng(11);
    const zeroless = (v: number) => (v === 0 ? 0 : v);
    for (const n of [5, 6, 7, 4099, 20_003]) {
      k.reset();
      const vals = Float32Array.from({ length: n }, (_, i) => {
        const u = r();
        if (u < 0.25) return -0;
        if (u < 0.5) return 0;
        if (u < 0.7) return i % 3 === 0 ? 1.5 : -1.5;
        return Math.fround((r() - 0.5) * 1e-3);
      });
      const sorted = Array.from(vals).sort((a, b) => a - b);
      const ranks = [...new Set([0, 1, n - 2, n - 1, Math.floor(n / 2), Math.floor(n / 3), Math.floor(r() * n), Math.floor((3 * n) / 4)])].sort((a, b) => a - b);
      const s = allocFitScratch(k, n, true);
      k.f32(s.valuesPtr, n).set(vals);
      k.u32(s.ranksPtr, ranks.length).set(ranks);
      k.exports.tf_select_ranks_f32(s.valuesPtr, n, s.ranksPtr, ranks.length, s.outPtr, s.histPtr, s.slotsPtr, s.workPtr, s.bucketPtr);
      expect(Array.from(k.f64(s.outPtr, ranks.length), zeroless), `n=${n}`).toEqual(ranks.map((i) => zeroless(sorted[i]!)));
    }
  });

  it('radix selection resolves big buckets (heavy ties, narrow ranges, negatives) on its second level', () => {
    const r = rng(5);
    const n = 300_001;
    // Values sharing their top 16 key bits by the tens of thousands: three tied values, and two narrow
    // ranges (one negative) whose values differ only in the low mantissa bits.
    const vals = Float32Array.from({ length: n }, () => {
      const u = r();
      if (u < 0.4) return [-3, -1, 2][Math.floor(r() * 3)]!;
      if (u < 0.8) return -(1 + r() * 2 ** -8);
      return 1 + r() * 2 ** -8;
    });
    const sorted = Float64Array.from(vals).sort();
    const ranks = [...new Set(Array.from({ length: 60 }, (_, i) => Math.floor((i * (n - 1)) / 59)).concat([1, n - 2, Math.floor(r() * n)]))].sort((a, b) => a - b);
    k.reset();
    const s = allocFitScratch(k, n, true);
    k.f32(s.valuesPtr, n).set(vals);
    k.u32(s.ranksPtr, ranks.length).set(ranks);
    k.exports.tf_select_ranks_f32(s.valuesPtr, n, s.ranksPtr, ranks.length, s.outPtr, s.histPtr, s.slotsPtr, s.workPtr, s.bucketPtr);
    expect(Array.from(k.f64(s.outPtr, ranks.length))).toEqual(ranks.map((i) => sorted[i]));
    expect(Array.from(k.f32(s.valuesPtr, n))).toEqual(Array.from(vals)); // the input is left as it was
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

  it('counts rows shared across splits by row hash like a set intersection (duplicates, key 0, one crowded bucket, truncated key lists)', () => {
    const r = rng(5);
    for (const [n, pool, max] of [[5000, 1500, 1000], [20000, 100000, 50], [300, 40, 1000], [7, 3, 2]] as const) {
      k.reset();
      // Keys from a small pool so that splits share many; key 0 is an ordinary key.
      // Every 4th key shares its top 16 bits with the others (one bucket holds a quarter of the rows).
      const keyPool = Array.from({ length: pool }, (_, i) =>
        i === 0 ? 0n : i % 4 === 0 ? 0xabcdn * 2n ** 48n + BigInt(Math.floor(r() * 2 ** 40)) : BigInt(Math.floor(r() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(r() * 2 ** 32)),
      );
      const hashes = BigUint64Array.from({ length: n }, () => keyPool[Math.floor(r() * pool)]!);
      // Output rows: a random permutation; training below b1, validation below b2, test above.
      const dest = Uint32Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(r() * (i + 1));
        [dest[i], dest[j]] = [dest[j]!, dest[i]!];
      }
      const b1 = Math.floor(n * 0.7);
      const b2 = Math.floor(n * 0.85);
      const hp = k.alloc(n * 8);
      const dp = k.alloc(n * 4);
      new BigUint64Array(k.exports.memory.buffer, hp, n).set(hashes);
      k.u32(dp, n).set(dest);
      const table = k.alloc(k.exports.tf_leakage_scratch_bytes(n));
      const out = k.alloc(24);
      const keys = [k.alloc(max * 8), k.alloc(max * 8), k.alloc(max * 8)];
      k.exports.tf_leakage(hp, dp, n, b1, b2, table, out, ...keys, max);
      const got = k.u32(out, 6);
      const of = (lo: number, hi: number) => Array.from(hashes).filter((_, i) => dest[i]! >= lo && dest[i]! < hi);
      const [tr, va, te] = [of(0, b1), of(b1, b2), of(b2, n)];
      const expectPair = (a: bigint[], b: bigint[], i: number) => {
        const inA = new Set(a);
        const shared = new Set(b.filter((v) => inA.has(v)));
        expect(got[i]).toBe(b.filter((v) => inA.has(v)).length);
        expect(got[3 + i]).toBe(shared.size);
        // The smallest `max` shared keys, ascending.
        const listed = Array.from(new BigUint64Array(k.exports.memory.buffer, keys[i]!, Math.min(max, shared.size)));
        expect(listed).toEqual([...shared].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).slice(0, max));
      };
      expectPair(tr, va, 0);
      expectPair(tr, te, 1);
      expectPair(va, te, 2);
      expect(got[0]! + got[1]! + got[2]!).toBeGreaterThan(0);
    }
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
