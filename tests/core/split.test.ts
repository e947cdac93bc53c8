import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { instantiateKernels, type Kernels } from '../../src/engine/wasm';
import { splitRecipe, validateShuffleSplit, SPLIT_NAMES } from '../../src/core/split';
import { WorkbenchError } from '../../src/core/errors';

type Packed = number[] | { len: number; first20: number[]; sha256: string };
interface SplitCase {
  spec: { labels?: number[]; runs?: [number, number][]; hash?: { n: number; salt: number; cuts: number[] } };
  testSize: number;
  valSize: number;
  seed: number;
  stratify: boolean;
  note: string;
  expected?: Record<'training' | 'validation' | 'test', Packed>;
  error?: string;
}

const cases: SplitCase[] = JSON.parse(readFileSync(new URL('../fixtures/split/cases.json', import.meta.url), 'utf8')).cases;

/** The generator's hashed labels: r = ((i*2654435761 + salt) mod 2^32) mod 10000, label = #cuts <= r. */
function labelsOf(spec: SplitCase['spec']): Float64Array {
  if (spec.labels) return Float64Array.from(spec.labels);
  if (spec.runs) return Float64Array.from(spec.runs.flatMap(([v, c]) => Array<number>(c).fill(v)));
  const { n, salt, cuts } = spec.hash!;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = ((Math.imul(i, 2654435761) + salt) >>> 0) % 10000;
    let c = 0;
    for (const cut of cuts) if (r >= cut) c++;
    y[i] = c;
  }
  return y;
}

function expectPacked(actual: Uint32Array, expected: Packed, what: string) {
  if (Array.isArray(expected)) {
    expect(Array.from(actual), what).toEqual(expected);
    return;
  }
  expect(actual.length, what).toBe(expected.len);
  expect(Array.from(actual.subarray(0, 20)), what).toEqual(expected.first20);
  const i32 = Int32Array.from(actual);
  expect(createHash('sha256').update(new Uint8Array(i32.buffer)).digest('hex'), what).toBe(expected.sha256);
}

const ERROR_PHRASES: Record<string, RegExp> = {
  least_populated: /needs at least 2/,
  empty_train: /would be empty/,
  test_lt_classes: /test part would have \d+ rows, fewer than/,
  train_lt_classes: /training part would have \d+ rows, fewer than/,
};

describe('two-stage split parity with scikit-learn 1.2 (tests/fixtures/split/cases.json)', () => {
  let kernels: Kernels;
  beforeAll(async () => {
    kernels = await instantiateKernels();
  });

  it('has a few hundred cases, including errors and large ones', () => {
    expect(cases.length).toBeGreaterThan(400);
    expect(cases.filter((c) => c.error).length).toBeGreaterThan(20);
  });

  it('reproduces the reference check values', () => {
    kernels.reset();
    const p = kernels.alloc(40);
    kernels.exports.split_shuffled(42, 10, p);
    expect(Array.from(kernels.u32(p, 10))).toEqual([8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    kernels.exports.rng_seed(5489);
    expect([0, 1, 2].map(() => kernels.exports.rng_next32() >>> 0)).toEqual([3499211612, 581869302, 3890346734]);
  });

  it('matches every committed case, rows and errors', () => {
    let checked = 0;
    for (const c of cases) {
      const what = `${c.note} seed=${c.seed} stratify=${c.stratify} test=${c.testSize}`;
      const y = labelsOf(c.spec);
      const opts = { testSize: c.testSize, valSize: c.valSize, seed: c.seed, stratify: c.stratify };
      if (c.error) {
        let err: unknown;
        try {
          splitRecipe(kernels, y, opts);
        } catch (e) {
          err = e;
        }
        expect(err, what).toBeInstanceOf(WorkbenchError);
        expect((err as WorkbenchError).code, what).toBe('SPLIT_IMPOSSIBLE');
        expect((err as WorkbenchError).message, what).toMatch(ERROR_PHRASES[c.error]!);
      } else {
        const r = splitRecipe(kernels, y, opts);
        for (const name of SPLIT_NAMES) expectPacked(r[name], c.expected![name], `${what} ${name}`);
        // The class counts (taken from the stratified stages, else counted) are those of the rows.
        for (const name of SPLIT_NAMES) {
          expect(r.classCounts[name], `${what} ${name} counts`).toEqual(r.classes.map((v) => Array.from(r[name]).filter((i) => y[i] === v).length));
        }
      }
      checked++;
    }
    expect(checked).toBe(cases.length);
  });

  it('uses the float64 ceil for the test size (0.07 * 100 rows -> 8)', () => {
    expect(validateShuffleSplit(100, 0.07)).toEqual([92, 8]);
    expect(validateShuffleSplit(1000, 0.15)).toEqual([850, 150]);
    expect(() => validateShuffleSplit(10, 1)).toThrow(/strictly between 0 and 1/);
  });

  it('counts classes per split and warns below 10 positives', () => {
    const y = labelsOf({ runs: [[0, 14], [1, 6]] });
    const r = splitRecipe(kernels, y, { testSize: 0.15, valSize: 0.176, seed: 42, stratify: true });
    expect(r.classes).toEqual([0, 1]);
    expect(r.classCounts.training).toEqual([10, 4]);
    expect(r.classCounts.validation).toEqual([2, 1]);
    expect(r.classCounts.test).toEqual([2, 1]);
    expect(r.warnings).toHaveLength(3);
    expect(r.warnings[0]).toMatch(/training split has only 4 positive rows/);
  });

  it('refuses NaN labels and bad seeds with one sentence', () => {
    const y = Float64Array.from([0, 1, NaN, 0, 1, 0]);
    expect(() => splitRecipe(kernels, y, { testSize: 0.15, valSize: 0.176, seed: 42, stratify: true })).toThrow(/contain NaN/);
    expect(() => splitRecipe(kernels, new Float64Array(10), { testSize: 0.15, valSize: 0.176, seed: -1, stratify: true })).toThrow(/seed must be an integer/);
  });

  it('splits 4M labels quickly, with disjoint splits covering every row once', () => {
    const n = 4_000_000;
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = ((Math.imul(i, 2654435761) + 11) >>> 0) % 10000 >= 9700 ? 1 : 0;
    const t0 = performance.now();
    const r = splitRecipe(kernels, y, { testSize: 0.15, valSize: 0.176, seed: 42, stratify: true });
    const ms = performance.now() - t0;
    expect(r.training.length + r.validation.length + r.test.length).toBe(n);
    const seen = new Uint8Array(n);
    for (const name of SPLIT_NAMES) for (const i of r[name]) seen[i]!++;
    expect(seen.every((v) => v === 1)).toBe(true);
    // Well under a second on an idle machine; the bound leaves room for a loaded shared CI box.
    expect(ms).toBeLessThan(10_000);
  });
});
