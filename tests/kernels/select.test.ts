/**
 * Exact order statistics (assembly/select.ts + src/engine/quantiles.ts) against a plain float64
 * TypeScript reference (sort + numpy's formulas), on random data with NaN, ±inf, duplicates and odd
 * lengths, in both the SIMD and the scalar build. Values must match exactly (Object.is, -0 as +0).
 */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/core/source';
import { readArrayInfo } from '../../src/core/npy';
import { instantiateKernels, type KernelFlavour } from '../../src/engine/wasm';
import { RowStream } from '../../src/engine/stream';
import {
  AUC_MAX_REFINE_PASSES,
  bucketOfValue,
  ClassSeparation,
  columnOrderStatistics,
  nanmedian,
  OrderStatisticsSelector,
  percentileLinear,
  percentileRanks,
} from '../../src/engine/quantiles';
import { npyBytes, rng } from './npy-bytes';

async function streamOf(values: Float64Array, rows: number, cols: number, flavour: KernelFlavour, windowBytes?: number) {
  const src = bytesSource(npyBytes(values, rows, cols), 'x.npy');
  const info = await readArrayInfo(src);
  const kernels = await instantiateKernels(flavour);
  return new RowStream(src, info, kernels, { windowBytes });
}

function column(values: Float64Array, rows: number, cols: number, c: number, keep: (x: number) => boolean, mask?: Uint8Array) {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const x = values[r * cols + c]!;
    if (mask && !mask[r]) continue;
    if (keep(x)) out.push(x === 0 ? 0 : x);
  }
  return Float64Array.from(out).sort();
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const next = rng(seed);
  const v = new Float64Array(rows * cols);
  for (let i = 0; i < v.length; i++) {
    const u = next();
    const c = i % cols;
    if (u < 0.05) v[i] = NaN;
    else if (u < 0.07) v[i] = Infinity;
    else if (u < 0.09) v[i] = -Infinity;
    else if (u < 0.15) v[i] = u < 0.12 ? -0 : 0;
    else if (c === 1) v[i] = Math.round(next() * 5); // many duplicates
    else if (c === 2) v[i] = (next() - 0.5) * 1e300;
    else v[i] = (next() - 0.5) * 20;
  }
  return v;
}

const QS = [1, 25, 50, 75, 99];

describe.each(['simd', 'scalar'] as const)('radix selection (%s build)', (flavour) => {
  it('finds every percentile rank exactly on random data with NaN, ±inf, ±0 and duplicates (odd length)', async () => {
    const rows = 1001;
    const cols = 5;
    const data = randomMatrix(rows, cols, 7);
    const stream = await streamOf(data, rows, cols, flavour, 4096);
    const res = await columnOrderStatistics(stream, { ranks: (_c, m) => QS.flatMap((q) => percentileRanks(m, q)) });
    for (let c = 0; c < cols; c++) {
      const ref = column(data, rows, cols, c, Number.isFinite);
      expect(res.counts[c]).toBe(ref.length);
      const ranks = QS.flatMap((q) => percentileRanks(ref.length, q));
      expect(Array.from(res.values[c]!)).toEqual(ranks.map((r) => ref[r]));
    }
  });

  it("counts ±inf in the 'non-nan' domain", async () => {
    const rows = 333;
    const data = randomMatrix(rows, 3, 11);
    const stream = await streamOf(data, rows, 3, flavour);
    const res = await columnOrderStatistics(stream, { domain: 'non-nan', ranks: (_c, m) => [0, Math.floor(m / 2), m - 1] });
    for (let c = 0; c < 3; c++) {
      const ref = column(data, rows, 3, c, (x) => !Number.isNaN(x));
      expect(Array.from(res.values[c]!)).toEqual([ref[0], ref[Math.floor(ref.length / 2)], ref[ref.length - 1]]);
    }
  });

  it('descends all four 16-bit levels when nothing may be collected (exact key -> value)', async () => {
    const rows = 257;
    const data = randomMatrix(rows, 4, 3);
    const stream = await streamOf(data, rows, 4, flavour);
    const some = (_c: number, m: number) => [0, 1, m >> 2, m >> 1, m - 2, m - 1];
    const res = await columnOrderStatistics(stream, { ranks: some, collectMaxValues: 0 });
    expect(res.passes).toBeLessThanOrEqual(4); // pass 1 + at most levels 32, 48, 64
    for (let c = 0; c < 4; c++) {
      const ref = column(data, rows, 4, c, Number.isFinite);
      expect(Array.from(res.values[c]!)).toEqual(some(c, ref.length).map((r) => ref[r]));
    }
  });

  it('reaches the full 64-bit key for values that differ only in their lowest 16 bits', async () => {
    const rows = 301;
    const next = rng(17);
    const data = Float64Array.from({ length: rows }, () => 1 + Math.floor(next() * 200) * 2 ** -52);
    const stream = await streamOf(data, rows, 1, flavour);
    const ranks = (_c: number, m: number) => [0, 7, m >> 1, m - 1];
    const res = await columnOrderStatistics(stream, { ranks, collectMaxValues: 0 });
    expect(res.passes).toBe(4); // pass 1 + levels 32, 48, 64
    const ref = data.slice().sort();
    expect(Array.from(res.values[0]!)).toEqual(ranks(0, rows).map((r) => ref[r]));
  });

  it('resolves a bucket holding one value without descending further (constant column)', async () => {
    const rows = 5000;
    const data = new Float64Array(rows).fill(3.25);
    const stream = await streamOf(data, rows, 1, flavour);
    const res = await columnOrderStatistics(stream, { ranks: () => [0, 2500, 4999], collectMaxValues: 10 });
    expect(res.passes).toBe(2);
    expect(Array.from(res.values[0]!)).toEqual([3.25, 3.25, 3.25]);
  });

  it('refines over several passes when a bucket is too large to collect (many equal-prefix values)', async () => {
    // 40,000 values sharing their top 32 key bits (1 + k * 2^-44): one bucket at level 1 and level 2.
    const rows = 40_000;
    const next = rng(5);
    const data = Float64Array.from({ length: rows }, () => 1 + Math.floor(next() * 1e6) * 2 ** -44);
    const stream = await streamOf(data, rows, 1, flavour, 64 * 1024);
    const res = await columnOrderStatistics(stream, { ranks: (_c, m) => QS.flatMap((q) => percentileRanks(m, q)), collectMaxValues: 1000 });
    expect(res.passes).toBeGreaterThanOrEqual(4);
    const ref = Float64Array.from(data).sort();
    expect(Array.from(res.values[0]!)).toEqual(QS.flatMap((q) => percentileRanks(rows, q)).map((r) => ref[r]));
  });

  it('collects exactly-float32 values as f32 (float32Values) with the same answers', async () => {
    const rows = 2001;
    const cols = 3;
    const data = randomMatrix(rows, cols, 13).map(Math.fround);
    const stream = await streamOf(data, rows, cols, flavour, 8192);
    const sel = new OrderStatisticsSelector(stream.kernels, rows, cols, { float32Values: true });
    await stream.pass((r0, n, p) => sel.consumeFirst(r0, n, p));
    const refs = [0, 1, 2].map((c) => column(data, rows, cols, c, Number.isFinite));
    const ranks = refs.map((ref) => QS.flatMap((q) => percentileRanks(ref.length, q)));
    ranks.forEach((r, c) => sel.request(c, r));
    const bucket = bucketOfValue(refs[0]![refs[0]!.length >> 1]!);
    const handle = sel.collectBucket(0, bucket);
    expect(sel.plan()).toBe(true);
    await stream.pass((r0, n, p) => sel.consume(r0, n, p));
    sel.finishPass();
    expect(Array.from(sel.bucketValues(handle).sort())).toEqual(Array.from(refs[0]!.filter((x) => bucketOfValue(x) === bucket)));
    while (sel.plan()) {
      await stream.pass((r0, n, p) => sel.consume(r0, n, p));
      sel.finishPass();
    }
    for (let c = 0; c < cols; c++) expect(ranks[c]!.map((r) => sel.value(c, r))).toEqual(ranks[c]!.map((r) => refs[c]![r]));
  });

  it('honours a row filter given as a mask or as sorted row indices', async () => {
    const rows = 500;
    const data = randomMatrix(rows, 2, 9);
    const next = rng(1);
    const mask = Uint8Array.from({ length: rows }, () => (next() < 0.6 ? 1 : 0));
    const indices = Uint32Array.from(Array.from(mask.keys()).filter((i) => mask[i]));
    for (const rowFilter of [mask, indices]) {
      const stream = await streamOf(data, rows, 2, flavour);
      const res = await columnOrderStatistics(stream, { rowFilter, ranks: (_c, m) => [0, m >> 1, m - 1] });
      for (let c = 0; c < 2; c++) {
        const ref = column(data, rows, 2, c, Number.isFinite, mask);
        expect(res.counts[c]).toBe(ref.length);
        expect(Array.from(res.values[c]!)).toEqual([ref[0], ref[ref.length >> 1], ref[ref.length - 1]]);
      }
    }
  });
});

describe('numpy formulas', () => {
  it('percentileLinear matches numpy 1.24 on committed cases (values printed by numpy)', () => {
    // np.percentile([1, 2, 3, 4, 10], [0, 10, 25, 33, 50, 99, 100]) and np.percentile([1,2,3,4,inf], 75)
    const v = [1, 2, 3, 4, 10];
    const got = [0, 10, 25, 33, 50, 99, 100].map((q) => percentileLinear((i) => v[i]!, 5, q));
    expect(got).toEqual([1, 1.4, 2, 2.3200000000000003, 3, 9.76, 10]);
    expect(percentileLinear((i) => [1, 2, 3, 4, Infinity][i]!, 5, 75)).toBeNaN();
    expect(percentileLinear(() => 0, 0, 50)).toBeNaN();
  });

  it('nanmedian keeps the np.ma odd-count quirk below 600 rows only', () => {
    const big = 1.5e308;
    expect(nanmedian(() => big, 3, 10)).toBe(Infinity);
    expect(nanmedian(() => big, 3, 600)).toBe(big);
    expect(nanmedian((i) => [1, 2, 4, 8][i]!, 4, 4)).toBe(3);
  });
});

describe('class separation (AUC) from radix buckets', () => {
  it('is within 1e-3 of the exact rank-based Mann–Whitney AUC', async () => {
    const rows = 20_000;
    const next = rng(21);
    const labels = new Uint8Array(rows);
    const data = new Float64Array(rows * 3);
    for (let r = 0; r < rows; r++) {
      const y = next() < 0.1 ? 1 : 0;
      labels[r] = y;
      data[r * 3] = next() + y * 0.3; // overlapping
      data[r * 3 + 1] = Math.round(next() * 3) + y; // heavy ties
      data[r * 3 + 2] = 1 + next() * 1e-9 + y * 1e-10; // all in one top-16 bucket
    }
    const kernels = await instantiateKernels();
    const src = bytesSource(npyBytes(data, rows, 3), 'x.npy');
    const stream = new RowStream(src, await readArrayInfo(src), kernels, { windowBytes: 50_000 });
    const sel = new OrderStatisticsSelector(kernels, rows, 3, { classes: labels, domain: 'non-nan' });
    await stream.pass((r0, n, p) => sel.consumeFirst(r0, n, p));
    const seps = [0, 1, 2].map((c) => new ClassSeparation(sel, c));
    let passes = 1;
    while (seps.map((s) => s.planRefinement()).some(Boolean)) {
      expect(sel.plan()).toBe(true);
      await stream.pass((r0, n, p) => sel.consume(r0, n, p));
      sel.finishPass();
      for (const s of seps) s.collect();
      passes++;
    }
    expect(passes).toBeLessThanOrEqual(1 + AUC_MAX_REFINE_PASSES);
    for (let c = 0; c < 3; c++) {
      const exact = exactAuc(data, 3, c, labels);
      expect(Math.abs(seps[c]!.auc() - exact)).toBeLessThan(1e-3);
      expect(Math.abs(seps[c]!.auc() - exact)).toBeLessThanOrEqual(seps[c]!.errorBound() + 1e-12);
    }
  });

  it.each(['simd', 'scalar'] as const)('settles integers sharing buckets in one refinement, but not values a sub-bin cannot tell apart (%s build)', async (flavour) => {
    // Integers in [64, 128): four per top-16 bucket (width 4), one per 1/16-wide sub-bin. Column 1
    // moves the positives up by 1/128, into their negatives' sub-bins: those pairs are not ties.
    const rows = 20_000;
    const next = rng(5);
    const labels = new Uint8Array(rows);
    const data = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      const y = next() < 0.2 ? 1 : 0;
      labels[r] = y;
      data[r * 2] = Math.round(64 + next() * 50 + y * 10);
      data[r * 2 + 1] = data[r * 2]! + y / 128;
    }
    const stream = await streamOf(data, rows, 2, flavour, 50_000);
    const sel = new OrderStatisticsSelector(stream.kernels, rows, 2, { classes: labels, domain: 'non-nan' });
    await stream.pass((r0, n, p) => sel.consumeFirst(r0, n, p));
    const seps = [0, 1].map((c) => new ClassSeparation(sel, c));
    const levels = [0, 0];
    const boundAfterOne: number[] = [];
    for (;;) {
      const more = seps.map((s) => s.planRefinement());
      more.forEach((m, c) => (levels[c]! += m ? 1 : 0));
      if (!more.some(Boolean)) break;
      expect(sel.plan()).toBe(true);
      await stream.pass((r0, n, p) => sel.consume(r0, n, p));
      sel.finishPass();
      for (const s of seps) s.collect();
      if (boundAfterOne.length === 0) boundAfterOne.push(...seps.map((s) => s.errorBound()));
    }
    expect(levels).toEqual([1, 2]);
    expect(boundAfterOne[0]).toBe(0);
    expect(boundAfterOne[1]).toBeGreaterThan(1e-3);
    expect(seps[0]!.auc()).toBeCloseTo(exactAuc(data, 2, 0, labels), 12);
    expect(Math.abs(seps[1]!.auc() - exactAuc(data, 2, 1, labels))).toBeLessThanOrEqual(seps[1]!.errorBound() + 1e-12);
  });
});

function exactAuc(data: Float64Array, cols: number, c: number, labels: Uint8Array): number {
  const idx = Array.from(labels.keys()).sort((a, b) => data[a * cols + c]! - data[b * cols + c]!);
  let rankSumPos = 0;
  let np = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && data[idx[j]! * cols + c] === data[idx[i]! * cols + c]) j++;
    const avg = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (labels[idx[k]!]) { rankSumPos += avg; np++; }
    i = j;
  }
  const nn = idx.length - np;
  return (rankSumPos - (np * (np + 1)) / 2) / (np * nn);
}
