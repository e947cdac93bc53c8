/**
 * One uPlot line chart per metric with every ensemble member overlaid. uPlot draws to a canvas and owns
 * its DOM, so the component creates it on mount, replaces it when the data change, and destroys it on
 * cleanup (no leaked resize listeners when the user switches experiments).
 */
import { createEffect, onCleanup } from 'solid-js';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface MemberSeries {
  /** Shown in the legend, e.g. `member 0`. */
  label: string;
  /** One value per epoch; shorter members are padded with gaps. */
  values: readonly number[];
}

/** A colour-blind-friendly qualitative palette (Okabe–Ito), cycled past eight members. */
const MEMBER_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];

const CHART_HEIGHT_PX = 220;
const DEFAULT_WIDTH_PX = 480;

/** uPlot's aligned data: epochs 1..n on x, one y array per member (null where a member has no value). */
export function alignedData(members: readonly MemberSeries[]): uPlot.AlignedData {
  const epochs = Math.max(0, ...members.map((m) => m.values.length));
  const xs = Array.from({ length: epochs }, (_, i) => i + 1);
  const ys = members.map((m) =>
    xs.map((_, i) => {
      const v = m.values[i];
      return v === undefined || !Number.isFinite(v) ? null : v;
    }),
  );
  return [xs, ...ys];
}

/** Line chart of one metric across ensemble members. */
export function MetricChart(props: { metric: string; members: readonly MemberSeries[] }) {
  let host!: HTMLDivElement;
  let plot: uPlot | undefined;

  createEffect(() => {
    const members = props.members;
    plot?.destroy();
    const width = host.clientWidth > 0 ? host.clientWidth : DEFAULT_WIDTH_PX;
    plot = new uPlot(
      {
        title: props.metric,
        width,
        height: CHART_HEIGHT_PX,
        scales: { x: { time: false } },
        axes: [{ label: 'epoch' }, {}],
        series: [
          { label: 'epoch' },
          ...members.map((m, i) => ({
            label: m.label,
            stroke: MEMBER_COLOURS[i % MEMBER_COLOURS.length],
            width: 1.5,
            spanGaps: false,
          })),
        ],
      },
      alignedData(members),
      host,
    );
  });

  onCleanup(() => plot?.destroy());

  return <div class="metric-chart" data-metric={props.metric} role="img" aria-label={`${props.metric} per epoch for ${props.members.length} ensemble members`} ref={host} />;
}
