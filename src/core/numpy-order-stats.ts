/**
 * numpy's order-statistic formulas (REFERENCE-sklearn.md §4, §5), over sorted values read through
 * `at(rank)`: shared by the report's streaming selection and the prepare step's fit.
 */

/**
 * numpy ≥ 1.20 `percentile(..., method='linear')` of m sorted values read through `at(rank)`
 * (REFERENCE-sklearn.md §4): NaN when m = 0; the two-branch lerp otherwise.
 */
export function percentileLinear(at: (rank: number) => number, m: number, q: number): number {
  if (m <= 0) return NaN;
  const vi = (m - 1) * (q / 100);
  let a: number;
  let b: number;
  let g: number;
  if (vi >= m - 1) {
    a = b = at(m - 1);
    g = vi + 1; // numpy keeps the previous index as -1 here
  } else {
    const lo = Math.floor(vi);
    a = at(lo);
    b = at(lo + 1);
    g = vi - lo;
  }
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}

/** The 0-based ranks a median of c values reads (one or two). */
export function medianRanks(c: number): number[] {
  if (c <= 0) return [];
  const h = Math.floor(c / 2);
  return c % 2 === 0 ? [h - 1, h] : [h];
}

/**
 * `np.nanmedian(X, axis=0)` of one column with c non-NaN values read through `at(rank)`
 * (REFERENCE-sklearn.md §5). `rows` is the column length including NaN: numpy takes the np.ma path
 * below 600 rows, where an odd count gives (v[h] + v[h]) / 2 (inf when |v[h]| > DBL_MAX / 2).
 * Pass `maskedPath: true` to get np.ma.median (SimpleImputer) whatever the length.
 */
export function nanmedian(at: (rank: number) => number, c: number, rows: number, maskedPath = rows < 600): number {
  if (c <= 0) return NaN;
  const h = Math.floor(c / 2);
  if (c % 2 === 0) return (at(h - 1) + at(h)) / 2;
  const v = at(h);
  return maskedPath ? (v + v) / 2 : v;
}
