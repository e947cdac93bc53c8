/** Pure drawing helpers of the sparkline and the heat map (unit-tested in Node). */

/** The SVG path of bars for `counts` in a `width` × `height` box (pure; unit-tested). */
export function histogramPath(counts: readonly number[], width: number, height: number): string {
  const max = counts.reduce((a, c) => Math.max(a, c), 0);
  if (!counts.length || max <= 0) return '';
  const w = width / counts.length;
  let d = '';
  counts.forEach((c, i) => {
    if (c <= 0) return;
    // At least 1 px so a non-empty bin is never invisible.
    const h = Math.max(1, (c / max) * height);
    d += `M${(i * w).toFixed(2)} ${height}h${Math.max(w - 0.5, 0.5).toFixed(2)}v${(-h).toFixed(2)}h${(-Math.max(w - 0.5, 0.5)).toFixed(2)}z`;
  });
  return d;
}

/** Colour of a correlation coefficient (pure; unit-tested). */
export function correlationColour(r: number | null): string {
  if (r === null || !Number.isFinite(r)) return '#d0d4da';
  const t = Math.min(1, Math.abs(r));
  const fade = Math.round(255 * (1 - t));
  return r >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}

