/** A histogram sparkline as inline SVG (one bar per bin, heights relative to the fullest bin). */
import type { JSX } from 'solid-js';

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

export function Sparkline(props: { counts: readonly number[]; label: string; width?: number; height?: number }): JSX.Element {
  const width = () => props.width ?? 96;
  const height = () => props.height ?? 24;
  return (
    <svg
      class="sparkline"
      width={width()}
      height={height()}
      viewBox={`0 0 ${width()} ${height()}`}
      role="img"
      aria-label={props.label}
    >
      <path d={histogramPath(props.counts, width(), height())} />
    </svg>
  );
}
