/** Sorting of the per-feature table (pure; unit-tested). */

/** Compares for sorting; nulls (no value) always last. */
export function compareValues(a: number | string | null, b: number | string | null, dir: 1 | -1): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'string' || typeof b === 'string') return dir * String(a).localeCompare(String(b), undefined, { numeric: true });
  return dir * (a - b);
}

