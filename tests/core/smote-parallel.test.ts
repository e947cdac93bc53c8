// The two-thread neighbour search (Node worker_threads) must give exactly the single-thread answer —
// which is sklearn's, including its order among exact ties (smote.test.ts and smote-live.test.ts pin
// that down against imblearn) — on continuous data, duplicates and integer ties, on both the
// brute-force and the KD-tree paths, and in both kernel builds.
import { describe, expect, it } from 'vitest';
import { smoteNeighbours, smoteSynthesize } from '../../src/engine/smote';
import { isAbortError } from '../../src/core/errors';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

// Standard-normal-ish values (sum of uniforms), integers in [-2, 2], or normal rows of which a fraction
// copies an earlier row.
function rows(m: number, d: number, kind: 'normal' | 'integers' | 'duplicates', seed: number, copyFraction = 0.3): Float64Array {
  const next = lcg(seed);
  const x = new Float64Array(m * d);
  for (let i = 0; i < m * d; i++) {
    x[i] = kind === 'integers' ? Math.floor(next() * 5) - 2 : next() + next() + next() - 1.5;
  }
  if (kind === 'duplicates') {
    for (let i = 1; i < m; i++) {
      if (next() < copyFraction) {
        const from = Math.floor(next() * i);
        x.copyWithin(i * d, from * d, (from + 1) * d);
      }
    }
  }
  return x;
}

function firstDifference(a: Int32Array, b: Int32Array, k: number): string {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return `row ${Math.floor(i / k)}: [${[...a.subarray(i - (i % k), i - (i % k) + k)]}] vs [${[...b.subarray(i - (i % k), i - (i % k) + k)]}]`;
  }
  return 'none';
}

describe('SMOTE neighbours on two threads', () => {
  const cases: Array<[string, number, number, 'normal' | 'integers' | 'duplicates', number, number?]> = [
    ['brute force, continuous', 3000, 30, 'normal', 5],
    ['brute force, a few duplicates (tied rows re-queried)', 3000, 24, 'duplicates', 5, 0.05],
    ['brute force, many duplicates (falls back to one thread)', 2600, 20, 'duplicates', 5, 0.7],
    ['brute force, integer ties', 2500, 18, 'integers', 4],
    ['KD-tree path, continuous', 5000, 6, 'normal', 5],
    ['KD-tree path, integer ties', 4200, 4, 'integers', 5],
  ];
  for (const [name, m, d, kind, k, copyFraction] of cases) {
    it(`${name}: m=${m} d=${d} k=${k} equals the single-thread search`, async () => {
      const x = rows(m, d, kind, m + d, copyFraction);
      const one = await smoteNeighbours(x, d, k, { searchThreads: 1 });
      const two = await smoteNeighbours(x, d, k, { searchThreads: 2 });
      expect(firstDifference(one, two, k)).toBe('none');
    }, 60_000);
  }

  it('scalar build: two threads equal one on tied integer data', async () => {
    const d = 16;
    const x = rows(2300, d, 'integers', 99);
    const one = await smoteNeighbours(x, d, 5, { searchThreads: 1, flavour: 'scalar' });
    const two = await smoteNeighbours(x, d, 5, { searchThreads: 2, flavour: 'scalar' });
    expect(firstDifference(one, two, 5)).toBe('none');
  }, 60_000);

  it("'auto' takes two threads for large m and gives the same synthetic rows as one thread", async () => {
    const d = 20;
    const m = 4500;
    const x = rows(m, d, 'duplicates', 7, 0.1);
    const collect = async (searchThreads: 'auto' | 1) => {
      const parts: Float64Array[] = [];
      const phases = new Set<string>();
      await smoteSynthesize(x, d, 9000, { k: 5, ratio: 'auto', seed: 42 }, {
        searchThreads,
        onRows: (r) => void parts.push(r),
        onProgress: (p) => void phases.add(p.phase),
      });
      expect(phases.has('SMOTE neighbours')).toBe(true);
      return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
    };
    const auto = await collect('auto');
    const single = await collect(1);
    expect(auto.length).toBe((9000 - m) * d * 8);
    expect(auto.equals(single)).toBe(true);
  }, 60_000);

  it('rowsView hands over views of the output buffer holding the same rows as the copies', async () => {
    const d = 7;
    const x = rows(900, d, 'normal', 21);
    const run = async (rowsView: boolean) => {
      const parts: Buffer[] = [];
      let whole = true;
      await smoteSynthesize(x, d, 20_000, { k: 5, ratio: 'auto', seed: 3 }, {
        rowsView,
        onRows: (r) => {
          whole &&= r.buffer.byteLength === r.byteLength;
          parts.push(Buffer.from(new Uint8Array(r.buffer, r.byteOffset, r.byteLength)));
        },
      });
      return { bytes: Buffer.concat(parts), whole };
    };
    const copied = await run(false);
    const viewed = await run(true);
    expect(copied.bytes.length).toBe((20_000 - 900) * d * 8);
    expect(viewed.bytes.equals(copied.bytes)).toBe(true);
    expect(copied.whole).toBe(true); // copies own their buffer
    expect(viewed.whole).toBe(false); // views look into the kernel's memory
  }, 60_000);

  it('a cancel during the threaded search rejects with an AbortError', async () => {
    const d = 40;
    const x = rows(12000, d, 'normal', 5);
    const controller = new AbortController();
    const job = smoteNeighbours(x, d, 5, {
      searchThreads: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'SMOTE neighbours' && p.done > 0) controller.abort();
      },
    });
    setTimeout(() => controller.abort(), 300);
    const error = await job.then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAbortError(error)).toBe(true);
  }, 60_000);
});
