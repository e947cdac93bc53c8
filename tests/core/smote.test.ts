import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { smoteClassPlan, smoteNeighbours, smoteResample, smoteSynthesize, smoteSampleCount, sklearnHeapPlan } from '../../src/engine/smote';
import { WorkbenchError } from '../../src/core/errors';
import type { Progress } from '../../src/core/progress';

interface SmoteCase {
  name: string;
  m: number;
  nMajority: number;
  d: number;
  k: number;
  ratio: 'auto' | number;
  seed: number;
  kind: string;
  X?: string;
  y?: string;
  minority?: string;
  error?: string;
  nSynthetic?: number;
  syntheticSha256?: string;
  firstRows?: number[][];
  lastRows?: number[][];
  sklearnMethod?: string;
  nns?: number[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/smote/cases.json', import.meta.url), 'utf8')) as {
  cases: SmoteCase[];
};

function f64(b64: string): Float64Array {
  const bytes = Buffer.from(b64, 'base64');
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function sha256(a: Float64Array): string {
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
}

/** The minority rows of a case, in their order within X. */
function minorityOf(c: SmoteCase): Float64Array {
  if (c.minority) return f64(c.minority);
  const X = f64(c.X!);
  const y = f64(c.y!);
  let minorityLabel = 1;
  const ones = y.reduce((s, v) => s + (v === 1 ? 1 : 0), 0);
  if (ones !== c.m) minorityLabel = 0;
  const out = new Float64Array(c.m * c.d);
  for (let i = 0, r = 0; i < y.length; i++) if (y[i] === minorityLabel) out.set(X.subarray(i * c.d, (i + 1) * c.d), c.d * r++);
  return out;
}

async function synthesize(c: SmoteCase, flavour?: 'simd' | 'scalar'): Promise<Float64Array> {
  const blocks: Float64Array[] = [];
  const { nSynthetic } = await smoteSynthesize(minorityOf(c), c.d, c.nMajority, { k: c.k, ratio: c.ratio, seed: c.seed }, {
    flavour,
    onRows: (rows) => void blocks.push(rows),
  });
  const out = new Float64Array(nSynthetic * c.d);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const ok = fixture.cases.filter((c) => !c.error);
const failing = fixture.cases.filter((c) => c.error);

describe('SMOTE parity with imbalanced-learn 0.10 (committed cases)', () => {
  it('has the cases the generator writes', () => {
    expect(ok.length).toBeGreaterThan(50);
    expect(failing.length).toBeGreaterThanOrEqual(5);
    expect(ok.some((c) => c.kind === 'duplicates')).toBe(true);
  });

  it.each(ok.map((c) => [c.name, c] as const))('%s: synthetic rows equal imblearn bit for bit', async (_name, c) => {
    const rows = await synthesize(c);
    expect(rows.length / c.d).toBe(c.nSynthetic);
    if (c.nSynthetic! > 0) {
      expect(Array.from(rows.subarray(0, c.d))).toEqual(c.firstRows![0]);
      expect(Array.from(rows.subarray(rows.length - c.d))).toEqual(c.lastRows![c.lastRows!.length - 1]);
    }
    expect(sha256(rows)).toBe(c.syntheticSha256);
  });

  it.each(ok.filter((c) => c.nns).map((c) => [c.name, c] as const))('%s: neighbour table equals sklearn', async (_name, c) => {
    const nns = await smoteNeighbours(minorityOf(c), c.d, c.k);
    expect(Array.from(nns)).toEqual(c.nns);
  });

  it.each(ok.filter((c) => c.X).slice(0, 12).map((c) => [c.name, c] as const))(
    '%s: smoteResample returns X, then the synthetic rows, labelled and flagged',
    async (_name, c) => {
      const X = f64(c.X!);
      const y = f64(c.y!);
      const n = y.length;
      const res = await smoteResample(X, y, c.d, { k: c.k, ratio: c.ratio, seed: c.seed });
      expect(res.y.length).toBe(n + c.nSynthetic!);
      expect(Array.from(res.X.subarray(0, n * c.d))).toEqual(Array.from(X));
      expect(Array.from(res.y.subarray(0, n))).toEqual(Array.from(y));
      const minorityLabel = c.name.startsWith('minority label 0') ? 0 : 1;
      expect(res.y.subarray(n).every((v) => v === minorityLabel)).toBe(true);
      expect(Array.from(res.isSynthetic.subarray(0, n)).every((v) => v === 0)).toBe(true);
      expect(Array.from(res.isSynthetic.subarray(n)).every((v) => v === 1)).toBe(true);
      expect(sha256(res.X.slice(n * c.d))).toBe(c.syntheticSha256);
    },
  );
});

describe('SMOTE errors', () => {
  it.each(failing.map((c) => [c.name, c] as const))('%s: SMOTE_IMPOSSIBLE like imblearn refuses', async (_name, c) => {
    const run = smoteSynthesize(minorityOf(c), c.d, c.nMajority, { k: c.k, ratio: c.ratio, seed: c.seed });
    await expect(run).rejects.toBeInstanceOf(WorkbenchError);
    await expect(run).rejects.toMatchObject({ code: 'SMOTE_IMPOSSIBLE' });
  });

  it('says how many minority rows k needs', async () => {
    const run = smoteSynthesize(new Float64Array(4 * 2), 2, 20, { k: 5, ratio: 'auto', seed: 0 });
    await expect(run).rejects.toThrow('k_neighbors=5 needs at least 6 minority rows; the training split has 4.');
  });

  it('refuses one class, more than two classes, NaN features and NaN labels', async () => {
    const X = new Float64Array(20).map((_, i) => i);
    const opts = { k: 1, ratio: 'auto' as const, seed: 0 };
    await expect(smoteResample(X, new Float64Array(10).fill(1), 2, opts)).rejects.toThrow(/two classes/);
    await expect(smoteResample(X, Float64Array.from([0, 1, 2, 0, 0, 0, 0, 0, 1, 2]), 2, opts)).rejects.toThrow(/binary/);
    const y = Float64Array.from([0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    const Xnan = X.slice();
    Xnan[7] = NaN;
    await expect(smoteResample(Xnan, y, 2, opts)).rejects.toThrow(/finite/);
    const ynan = y.slice();
    ynan[4] = NaN;
    await expect(smoteResample(X, ynan, 2, opts)).rejects.toThrow(/NaN/);
    const yfrac = y.map((v) => v + 0.5);
    await expect(smoteResample(X, yfrac, 2, opts)).rejects.toThrow(/class labels/);
  });

  it('picks the class like imblearn: the larger class is the majority, the smaller label on a tie', () => {
    expect(smoteClassPlan([1, 0, 1, 1, 0], 'auto')).toEqual({ minorityLabel: 0, majorityLabel: 1, nMinority: 2, nMajority: 3, nSynthetic: 1 });
    expect(smoteClassPlan([3, -1, 3, -1], 'auto')).toMatchObject({ minorityLabel: 3, majorityLabel: -1, nSynthetic: 0 });
    expect(() => smoteClassPlan([3, -1, 3, -1], 1)).toThrow(/asks for no new minority rows/);
  });

  it('counts like imblearn: auto balances, a ratio truncates int(maj * r - min)', () => {
    expect(smoteSampleCount(30, 100, 'auto')).toBe(70);
    expect(smoteSampleCount(30, 30, 'auto')).toBe(0);
    expect(smoteSampleCount(50, 333, 0.37)).toBe(Math.trunc(333 * 0.37 - 50));
    expect(() => smoteSampleCount(30, 60, 0.5)).toThrow(/asks for no new minority rows/);
    expect(() => smoteSampleCount(30, 60, 0)).toThrow(/\(0, 1\]/);
    expect(() => smoteSampleCount(30, 60, 1.01)).toThrow(/\(0, 1\]/);
  });
});

describe('SMOTE kernels', () => {
  // Random data with duplicates and integer ties, sizes around the block and micro-tile edges.
  function randomRows(m: number, d: number, seed: number, integers: boolean): Float64Array {
    let s = seed >>> 0;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const x = new Float64Array(m * d).map(() => (integers ? Math.floor(next() * 5) : next() * 4 - 2));
    for (let i = 1; i < m; i++) if (next() < 0.2) x.copyWithin(i * d, Math.floor(next() * i) * d, Math.floor(next() * i) * d + d);
    return x;
  }

  it.each([
    [7, 1, 1],
    [129, 5, 5],
    [257, 9, 3],
    [300, 33, 5],
  ])('SIMD and scalar builds give identical neighbours and rows (m=%i, d=%i, k=%i)', async (m, d, k) => {
    for (const integers of [false, true]) {
      const x = randomRows(m, d, m * 31 + d, integers);
      const a = await smoteNeighbours(x, d, k, { flavour: 'simd' });
      const b = await smoteNeighbours(x, d, k, { flavour: 'scalar' });
      expect(Array.from(a)).toEqual(Array.from(b));
      const c = { name: '', m, nMajority: 3 * m, d, k, ratio: 'auto' as const, seed: 5, kind: '', minority: Buffer.from(x.buffer).toString('base64') };
      expect(sha256(await synthesize(c, 'simd'))).toBe(sha256(await synthesize(c, 'scalar')));
    }
  });

  it('finds the exact nearest neighbours (checked against a plain distance sort)', async () => {
    const m = 211;
    const d = 7;
    const k = 4;
    const x = randomRows(m, d, 99, false);
    const nns = await smoteNeighbours(x, d, k);
    for (let i = 0; i < m; i++) {
      const dist: [number, number][] = [];
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (x[i * d + t]! - x[j * d + t]!) ** 2;
        dist.push([s, j]);
      }
      dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      // Duplicates make several rows share distance 0; compare distances, not indices.
      const want = dist.slice(1, k + 1).map((p) => p[0]);
      const got = Array.from(nns.subarray(i * k, (i + 1) * k)).map((j) => dist.find((p) => p[1] === j)![0]);
      for (let a = 0; a < k; a++) expect(got[a]).toBeCloseTo(want[a]!, 9);
    }
  });

  it('plans heaps like sklearn 1.2 ArgKmin: one heap above 1024 × threads rows, else per-thread chunk runs', () => {
    expect(sklearnHeapPlan(2049, 2)).toMatchObject({ heaps: 1, repush: false });
    expect(sklearnHeapPlan(200, 2)).toMatchObject({ heaps: 1, repush: true });
    const p = sklearnHeapPlan(1000, 2); // 4 chunks of 256: threads own chunks {0,1} and {2,3}
    expect(p).toMatchObject({ heaps: 2, repush: true });
    expect([p.owner[0], p.owner[511], p.owner[512], p.owner[999]]).toEqual([0, 0, 1, 1]);
    const q = sklearnHeapPlan(1300, 2); // 6 chunks -> 3 + 3
    expect([q.owner[767], q.owner[768]]).toEqual([0, 1]);
    const r = sklearnHeapPlan(1100, 3); // 5 chunks over 3 threads -> 2, 2, 1
    expect([r.owner[511], r.owner[512], r.owner[1023], r.owner[1024]]).toEqual([0, 1, 1, 2]);
  });
});

describe('SMOTE progress and cancellation', () => {
  it('reports neighbour and row progress that ends full', async () => {
    const m = 400;
    const d = 10;
    const x = new Float64Array(m * d).map((_, i) => Math.sin(i * 1.7) * 3);
    const seen: Progress[] = [];
    await smoteSynthesize(x, d, 1000, { k: 5, ratio: 'auto', seed: 1 }, { onProgress: (p) => seen.push(p) });
    const phases = [...new Set(seen.map((p) => p.phase))];
    expect(phases).toEqual(['SMOTE neighbours', 'SMOTE rows']);
    for (const phase of phases) {
      const last = seen.filter((p) => p.phase === phase).at(-1)!;
      expect(last.done).toBe(last.total);
    }
  });

  it('rejects with an AbortError when already aborted, when aborted from a progress callback, and from a timer', async () => {
    const d = 50;
    const rows = (m: number) => new Float64Array(m * d).map((_, i) => Math.sin(i * 0.37) + Math.cos(i * 0.011));
    const opts = { k: 5, ratio: 'auto' as const, seed: 1 };
    const x = rows(600);
    const before = new AbortController();
    before.abort();
    await expect(smoteSynthesize(x, d, 2000, opts, { signal: before.signal })).rejects.toMatchObject({ name: 'AbortError' });

    const inRows = new AbortController();
    await expect(
      smoteSynthesize(x, d, 2000, opts, {
        signal: inRows.signal,
        onProgress: (p) => {
          if (p.phase === 'SMOTE rows') inRows.abort();
        },
        onRows: () => {},
      }),
    ).rejects.toMatchObject({ name: 'AbortError' });

    // A search of several hundred ms: the timer can only fire if the search hands the event loop turns.
    const timer = new AbortController();
    const started = Date.now();
    setTimeout(() => timer.abort(), 30);
    await expect(smoteSynthesize(rows(8000), d, 30000, opts, { signal: timer.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(400);
  });
});
