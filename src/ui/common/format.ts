/** Display helpers for the Files / Report / Prepare screens. Pure functions (unit-tested). */

const KIB = 1024;
const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `1536` → `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let v = bytes;
  let u = 0;
  while (v >= KIB && u < SIZE_UNITS.length - 1) {
    v /= KIB;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${SIZE_UNITS[u]}`;
}

/** An integer count with thousands separators: `1234567` → `1,234,567`. */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return Math.round(n).toLocaleString('en-US');
}

/**
 * A statistic for a table cell: 6 significant digits, exponent form for very large/small magnitudes;
 * `–` for null/undefined (no finite values), NaN/±inf spelled out.
 */
export function formatStat(v: number | null | undefined): string {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+inf' : '-inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

/** A fraction as a percentage: `0.0123` → `1.23 %` (`<0.01 %` for tiny non-zero fractions). */
export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  if (fraction > 0 && fraction * 100 < 10 ** -digits) return `<${(10 ** -digits).toFixed(digits)} %`;
  return `${(fraction * 100).toFixed(digits)} %`;
}

/** A shape as numpy prints it: `[1000, 50]` → `(1000, 50)`, `[7]` → `(7,)`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The message to show for anything thrown: a WorkbenchError's sentence as written, else a generic one naming `what`. */
export function errorMessage(e: unknown, what?: string): string {
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') {
    const m = (e as { message: string }).message;
    if ((e as { name?: string }).name === 'WorkbenchError' || !what || m.includes(what)) return m;
    return `${what}: ${m}`;
  }
  return what ? `${what}: ${String(e)}` : String(e);
}
