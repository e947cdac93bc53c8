/** Plain float64 TypeScript references for what the e2e tests read on screen (numpy's definitions). */

/** A deterministic PRNG (xorshift32) so generated test data is the same on every run. */
export function makeRandom(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Finite values of column `j` of a rows × cols C-order float32 matrix, as float64. */
export function finiteColumn(data: Float32Array, cols: number, j: number): number[] {
  const out: number[] = [];
  for (let i = j; i < data.length; i += cols) if (Number.isFinite(data[i]!)) out.push(data[i]!);
  return out;
}

/** np.nanpercentile(method='linear') of finite values (REFERENCE-sklearn.md §4). */
export function percentileLinear(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length;
  if (m === 0) return Number.NaN;
  const vi = (m - 1) * (q / 100);
  if (vi >= m - 1) return v[m - 1]!;
  const lo = Math.floor(vi);
  const a = v[lo]!;
  const b = v[lo + 1]!;
  const g = vi - lo;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** Mean of the values in float64. */
export function mean(values: number[]): number {
  let s = 0;
  for (const x of values) s += x;
  return s / values.length;
}
