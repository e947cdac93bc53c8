/**
 * A correlation heat map drawn on a canvas (a 50 × 50 matrix is 2,500 cells: one canvas, not 2,500 DOM
 * nodes). Colour: blue for r < 0, red for r > 0, white at 0, grey where r is undefined. Hovering a cell,
 * or moving the keyboard cursor (arrow keys once focused), shows the pair and its r.
 */
import { createEffect, createSignal, onCleanup, Show, type JSX } from 'solid-js';
import { correlationColour } from './chart-math';

export function HeatMap(props: {
  matrix: (number | null)[][];
  names: string[];
  /** Cell size in CSS pixels (shrinks for wide matrices). */
  maxSize?: number;
}): JSX.Element {
  let canvas!: HTMLCanvasElement;
  const n = () => props.matrix.length;
  const cell = () => Math.max(4, Math.min(24, Math.floor((props.maxSize ?? 520) / Math.max(1, n()))));
  const [cursor, setCursor] = createSignal<{ i: number; j: number }>();

  const draw = () => {
    const size = cell() * n();
    const dpr = globalThis.devicePixelRatio || 1;
    canvas.width = size * dpr;
    canvas.height = size * dpr;
    canvas.style.width = `${size}px`;
    canvas.style.height = `${size}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const c = cell();
    props.matrix.forEach((row, i) =>
      row.forEach((r, j) => {
        ctx.fillStyle = correlationColour(r);
        ctx.fillRect(j * c, i * c, c, c);
      }),
    );
    const cur = cursor();
    if (cur) {
      ctx.strokeStyle = '#1c2330';
      ctx.lineWidth = 2;
      ctx.strokeRect(cur.j * c + 1, cur.i * c + 1, c - 2, c - 2);
    }
  };
  createEffect(draw);

  const cellAt = (e: MouseEvent) => {
    const rect = canvas.getBoundingClientRect();
    const j = Math.floor((e.clientX - rect.left) / cell());
    const i = Math.floor((e.clientY - rect.top) / cell());
    return i >= 0 && j >= 0 && i < n() && j < n() ? { i, j } : undefined;
  };
  const onKey = (e: KeyboardEvent) => {
    const cur = cursor() ?? { i: 0, j: 0 };
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (!m) return;
    e.preventDefault();
    const clamp = (v: number) => Math.max(0, Math.min(n() - 1, v));
    setCursor({ i: clamp(cur.i + m[0]), j: clamp(cur.j + m[1]) });
  };
  onCleanup(() => setCursor(undefined));

  const describe = () => {
    const cur = cursor();
    if (!cur) return 'Hover a cell (or focus the map and use the arrow keys) to read r.';
    const r = props.matrix[cur.i]?.[cur.j];
    return `${props.names[cur.i] ?? cur.i} × ${props.names[cur.j] ?? cur.j}: r = ${r === null || r === undefined ? 'undefined' : r.toFixed(4)}`;
  };

  return (
    <figure class="heat-map">
      <canvas
        ref={canvas}
        tabIndex={0}
        role="img"
        aria-label={`Correlation matrix of ${n()} features; use the arrow keys to read a cell.`}
        data-testid="heat-map"
        onMouseMove={(e) => setCursor(cellAt(e))}
        onMouseLeave={() => setCursor(undefined)}
        onKeyDown={onKey}
        onFocus={() => setCursor((c) => c ?? { i: 0, j: 0 })}
      />
      <figcaption aria-live="polite" data-testid="heat-map-readout">
        {describe()}
      </figcaption>
      <Show when={n() > 0}>
        <div class="heat-legend" aria-hidden="true">
          <span style={{ background: correlationColour(-1) }} /> −1 <span style={{ background: correlationColour(0) }} /> 0{' '}
          <span style={{ background: correlationColour(1) }} /> +1
        </div>
      </Show>
    </figure>
  );
}
