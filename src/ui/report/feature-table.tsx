/**
 * The per-feature table: sortable (click or Enter/Space on a column header's button; `aria-sort` says
 * the order), full-precision values in each cell's title, and the histogram as a sparkline.
 */
import { createMemo, createSignal, For, type JSX } from 'solid-js';
import type { FeatureReport } from '../../core/report-types';
import { formatCount, formatStat } from '../common/format';
import { Sparkline } from '../common/sparkline';
import { compareValues } from './sort';

type SortKey = 'index' | 'name' | 'missing' | 'min' | 'p1' | 'p50' | 'p99' | 'max' | 'mean' | 'std' | 'auc';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'feature', numeric: false },
  { key: 'missing', label: 'missing', numeric: true },
  { key: 'min', label: 'min', numeric: true },
  { key: 'p1', label: 'p1', numeric: true },
  { key: 'p50', label: 'p50', numeric: true },
  { key: 'p99', label: 'p99', numeric: true },
  { key: 'max', label: 'max', numeric: true },
  { key: 'mean', label: 'mean', numeric: true },
  { key: 'std', label: 'std', numeric: true },
  { key: 'auc', label: 'AUC', numeric: true },
];

function value(f: FeatureReport, key: SortKey): number | string | null {
  if (key === 'name') return f.name;
  if (key === 'index') return f.index;
  const v = f[key];
  return v === undefined ? null : v;
}

function Cell(props: { v: number | null | undefined; col: string }): JSX.Element {
  return (
    <td class="num" data-col={props.col} title={props.v === null || props.v === undefined ? 'no finite value' : String(props.v)}>
      {formatStat(props.v)}
    </td>
  );
}

export function FeatureTable(props: { features: FeatureReport[]; nSamples: number; hasLabels: boolean }): JSX.Element {
  const [sort, setSort] = createSignal<{ key: SortKey; dir: 1 | -1 }>({ key: 'index', dir: 1 });
  const rows = createMemo(() => {
    const { key, dir } = sort();
    return [...props.features].sort((a, b) => compareValues(value(a, key), value(b, key), dir) || a.index - b.index);
  });
  const toggle = (key: SortKey) =>
    setSort((s) => (s.key === key ? (s.dir === 1 ? { key, dir: -1 } : { key: 'index', dir: 1 }) : { key, dir: 1 }));
  const ariaSort = (key: SortKey) => (sort().key !== key ? 'none' : sort().dir === 1 ? 'ascending' : 'descending');
  return (
    <div class="table-scroll">
      <table class="data-table feature-table" data-testid="feature-table">
        <caption class="visually-hidden">Per-feature statistics; column headers sort the table.</caption>
        <thead>
          <tr>
            <For each={COLUMNS.filter((c) => c.key !== 'auc' || props.hasLabels)}>
              {(c) => (
                <th scope="col" class={c.numeric ? 'num' : ''} aria-sort={ariaSort(c.key)}>
                  <button type="button" class="sort" data-testid={`sort-${c.key}`} onClick={() => toggle(c.key)}>
                    {c.label}
                    <span class="sort-mark" aria-hidden="true">
                      {sort().key === c.key ? (sort().dir === 1 ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                </th>
              )}
            </For>
            <th scope="col">histogram</th>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(f) => (
              <tr data-feature={f.name} data-index={f.index}>
                <th scope="row" class="feature-name" title={f.unit ? `${f.name} (${f.unit})` : f.name}>
                  {f.name}
                  {f.unit ? <span class="muted"> {f.unit}</span> : null}
                </th>
                <td class="num" data-col="missing" title={`${f.missing} of ${props.nSamples}`}>
                  {f.missing ? formatCount(f.missing) : '0'}
                </td>
                <Cell col="min" v={f.min} />
                <Cell col="p1" v={f.p1} />
                <Cell col="p50" v={f.p50} />
                <Cell col="p99" v={f.p99} />
                <Cell col="max" v={f.max} />
                <Cell col="mean" v={f.mean} />
                <Cell col="std" v={f.std} />
                {props.hasLabels ? <Cell col="auc" v={f.auc} /> : null}
                <td>
                  <Sparkline counts={f.histogram.counts} label={`Histogram of ${f.name} from ${formatStat(f.histogram.min)} to ${formatStat(f.histogram.max)}`} />
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
