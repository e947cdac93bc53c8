/**
 * Column statistics kernels (assembly/stats.ts) and row hashing (assembly/report_dups.ts) against a
 * plain float64 TypeScript reference on random blocks with NaN, ±inf, ±0 and odd sizes; the SIMD and
 * scalar builds must agree bit for bit (same per-column summation order).
 */
import { describe, expect, it } from 'vitest';
import { instantiateKernels, type KernelFlavour, type Kernels } from '../../src/engine/wasm';
import { rng } from './npy-bytes';

function randomBlock(rows: number, cols: number, seed: number): Float64Array {
  const next = rng(seed);
  return Float64Array.from({ length: rows * cols }, () => {
    const u = next();
    if (u < 0.05) return NaN;
    if (u < 0.07) return Infinity;
    if (u < 0.09) return -Infinity;
    if (u < 0.12) return u < 0.105 ? -0 : 0;
    return (next() - 0.3) * 1000;
  });
}

const SHAPES: Array<[number, number]> = [[1, 1], [7, 3], [129, 5], [1000, 8], [333, 17]];

interface KernelRun {
  basic: Float64Array;
  central: Float64Array;
  gram: Float64Array;
  hist: Float64Array;
  outside: Float64Array;
  hashes: Uint32Array;
}

async function runKernels(flavour: KernelFlavour, data: Float64Array, rows: number, cols: number): Promise<KernelRun> {
  const k: Kernels = await instantiateKernels(flavour);
  const ex = k.exports;
  const block = k.alloc(data.length * 8);
  k.f64(block, data.length).set(data);
  const acc = k.alloc(8 * cols * 8);
  const a = k.f64(acc, 8 * cols);
  a.fill(0);
  a.fill(Infinity, 5 * cols, 6 * cols);
  a.fill(-Infinity, 6 * cols, 7 * cols);
  // Two calls over halves: accumulation across blocks must equal one call.
  const half = rows >> 1;
  ex.stats_basic(block, half, cols, acc);
  ex.stats_basic(block + half * cols * 8, rows - half, cols, acc);
  const basic = k.f64(acc, 8 * cols).slice();
  const means = k.alloc(cols * 8);
  for (let c = 0; c < cols; c++) k.f64(means, cols)[c] = basic[c]! > 0 ? basic[7 * cols + c]! / basic[c]! : 0;
  const mom = k.alloc(2 * cols * 8);
  k.f64(mom, 2 * cols).fill(0);
  ex.stats_central(block, rows, cols, means, mom);
  const gram = k.alloc(cols * cols * 8);
  const scratch = k.alloc(4 * cols * 8);
  k.f64(gram, cols * cols).fill(0);
  ex.stats_gram(block, rows, cols, means, scratch, gram);
  const mins = k.alloc(cols * 8);
  const maxs = k.alloc(cols * 8);
  k.f64(mins, cols).set(basic.subarray(5 * cols, 6 * cols));
  k.f64(maxs, cols).set(basic.subarray(6 * cols, 7 * cols));
  const hist = k.alloc(cols * 10 * 8);
  k.f64(hist, cols * 10).fill(0);
  ex.stats_histogram(block, rows, cols, mins, maxs, 10, hist);
  const lo = k.alloc(cols * 8);
  const hi = k.alloc(cols * 8);
  k.f64(lo, cols).fill(-100);
  k.f64(hi, cols).fill(300);
  const out = k.alloc(cols * 8);
  k.f64(out, cols).fill(0);
  ex.stats_count_outside(block, rows, cols, lo, hi, out);
  const hashes = k.alloc(rows * 4);
  ex.dups_row_hash(block, rows, cols, hashes);
  return {
    basic,
    central: k.f64(mom, 2 * cols).slice(),
    gram: k.f64(gram, cols * cols).slice(),
    hist: k.f64(hist, cols * 10).slice(),
    outside: k.f64(out, cols).slice(),
    hashes: k.u32(hashes, rows).slice(),
  };
}

describe.each(SHAPES)('stats kernels on %i x %i', (rows, cols) => {
  const data = randomBlock(rows, cols, rows * 7 + cols);

  it('match the float64 reference and SIMD equals scalar bit for bit', async () => {
    const simd = await runKernels('simd', data, rows, cols);
    const scalar = await runKernels('scalar', data, rows, cols);
    expect(simd).toEqual(scalar);
    for (let c = 0; c < cols; c++) {
      const col = Array.from({ length: rows }, (_, r) => data[r * cols + c]!);
      const fin = col.filter(Number.isFinite);
      let sum = 0;
      for (const x of fin) sum += x;
      const mean = fin.length ? sum / fin.length : 0;
      let s2 = 0;
      let s3 = 0;
      for (const x of fin) {
        s2 += (x - mean) * (x - mean);
        s3 += (x - mean) ** 2 * (x - mean);
      }
      const b = (f: number) => simd.basic[f * cols + c];
      expect([b(0), b(1), b(2), b(3), b(4)]).toEqual([
        fin.length,
        col.filter(Number.isNaN).length,
        col.filter((x) => x === Infinity).length,
        col.filter((x) => x === -Infinity).length,
        fin.filter((x) => x === 0).length,
      ]);
      expect(b(5)).toBe(fin.length ? Math.min(...fin) : Infinity);
      expect(b(6)).toBe(fin.length ? Math.max(...fin) : -Infinity);
      expect(b(7)).toBe(sum); // same sequential order
      expect(simd.central[c]).toBe(s2);
      expect(simd.central[cols + c]).toBeCloseTo(s3, 6);
      expect(simd.hist.subarray(c * 10, c * 10 + 10).reduce((x, y) => x + y, 0)).toBe(fin.length);
      expect(simd.outside[c]).toBe(fin.filter((x) => x < -100 || x > 300).length);
      for (let j = 0; j < cols; j++) {
        let g = 0;
        const mj = simd.basic[j] ? simd.basic[7 * cols + j]! / simd.basic[j]! : 0;
        for (let r = 0; r < rows; r++) {
          const x = data[r * cols + c]!;
          const y = data[r * cols + j]!;
          g += (Number.isFinite(x) ? x - mean : 0) * (Number.isFinite(y) ? y - mj : 0);
        }
        if (j >= c) expect(Math.abs(simd.gram[c * cols + j]! - g)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(g)));
      }
    }
  });
});

describe('row hashes', () => {
  it('are equal for rows equal up to NaN payload and the sign of zero, different otherwise', async () => {
    const data = Float64Array.from([1, NaN, 0, 1, NaN, -0, 1, 2, 0, 2, 1, 0]);
    const bits = new DataView(data.buffer);
    bits.setUint32(4 * 8 + 4, 0x7ff80001, true); // another NaN payload in row 1
    const run = await runKernels('scalar', data, 4, 3);
    expect(run.hashes[0]).toBe(run.hashes[1]);
    expect(new Set(run.hashes).size).toBe(3);
  });
});

describe('sparkline histogram', () => {
  it.each(['simd', 'scalar'] as const)('refuses more bins than its scratch holds (%s build): a trap, not counts over other memory', async (flavour) => {
    const k = await instantiateKernels(flavour);
    const bins = (k.exports as unknown as { STATS_HISTOGRAM_MAX_BINS: WebAssembly.Global }).STATS_HISTOGRAM_MAX_BINS.value as number;
    const block = k.alloc(4 * 8);
    k.f64(block, 4).set([1, 2, 3, 4]);
    const mins = k.alloc(8);
    const maxs = k.alloc(8);
    k.f64(mins, 1)[0] = 1;
    k.f64(maxs, 1)[0] = 4;
    const counts = k.alloc((bins + 1) * 8);
    k.f64(counts, bins + 1).fill(0);
    k.exports.stats_histogram(block, 4, 1, mins, maxs, bins, counts);
    expect(Array.from(k.f64(counts, bins)).reduce((a, b) => a + b, 0)).toBe(4);
    expect(() => k.exports.stats_histogram(block, 4, 1, mins, maxs, bins + 1, counts)).toThrow(WebAssembly.RuntimeError);
  });
});
