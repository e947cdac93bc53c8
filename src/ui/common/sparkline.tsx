/** A histogram sparkline as inline SVG (one bar per bin, heights relative to the fullest bin). */
import type { JSX } from 'solid-js';
import { histogramPath } from './chart-math';

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
