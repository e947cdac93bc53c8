import { describe, expect, it } from 'vitest';
import { nthElement, SklearnKdTree } from '../../src/engine/smote-kdtree';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('sklearn KD-tree copy', () => {
  it('nthElement puts the nth element in place with nothing greater before it, nothing smaller after', () => {
    const next = lcg(3);
    for (const n of [1, 2, 3, 4, 5, 17, 64, 255, 1000]) {
      for (let rep = 0; rep < 5; rep++) {
        const keys = Array.from({ length: n }, () => Math.floor(next() * 7)); // many equal keys
        const less = (a: number, b: number) => (keys[a] === keys[b] ? a < b : keys[a]! < keys[b]!);
        const v = Int32Array.from({ length: n }, (_, i) => i);
        const nth = Math.floor(next() * n);
        nthElement(v, 0, nth, n, less);
        const sorted = Array.from({ length: n }, (_, i) => i).sort((a, b) => (less(a, b) ? -1 : 1));
        expect(v[nth], `n=${n} nth=${nth}`).toBe(sorted[nth]);
        for (let i = 0; i < nth; i++) expect(less(v[nth]!, v[i]!)).toBe(false);
        for (let i = nth + 1; i < n; i++) expect(less(v[i]!, v[nth]!)).toBe(false);
        expect([...v].sort((a, b) => a - b)).toEqual(sorted.slice().sort((a, b) => a - b));
      }
    }
  });

  it('finds the exact k nearest rows (distances equal to a plain sort) on tied integer data', () => {
    const next = lcg(11);
    const m = 400;
    const d = 3;
    const x = Float64Array.from({ length: m * d }, () => Math.floor(next() * 5));
    const tree = new SklearnKdTree(x, m, d);
    expect([...tree.order].sort((a, b) => a - b)).toEqual(Array.from({ length: m }, (_, i) => i));
    const dist = (a: number, b: number) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += (x[a * d + j]! - x[b * d + j]!) ** 2;
      return s;
    };
    for (let row = 0; row < m; row += 7) {
      const got = Array.from(tree.query(row, 6), (j) => dist(row, j));
      const want = Array.from({ length: m }, (_, j) => dist(row, j)).sort((a, b) => a - b).slice(0, 6);
      expect(got).toEqual(want);
    }
  });
});
