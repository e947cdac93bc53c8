/**
 * The Report screen: runs the quality report in the engine worker (automatically once per set of
 * inputs, or with Run), shows progress with Cancel, then summary cards, alerts, the label balance, the
 * per-feature table and the correlation heat map; "Export report JSON" downloads exactly the report.
 */
import { createEffect, createSignal, For, Match, onCleanup, onMount, Show, Switch, untrack, type JSX } from 'solid-js';
import { unwrap } from 'solid-js/store';
import type { Alert, LabelReport, QualityReport } from '../../core/report-types';
import { appState } from '../shell/store';
import { showScreen } from '../shell/navigation';
import { ProgressBar } from '../common/progress-bar';
import { ErrorBanner } from '../common/error-banner';
import { formatBytes, formatCount, formatPercent, formatShape } from '../common/format';
import { HeatMap } from '../common/heat-map';
import { downloadBlob } from '../prepare/zip-export';
import { FeatureTable } from './feature-table';
import { reportIsStale, reportRunner, runReport, shouldAutoRun } from './store';
import { WarningList } from '../common/warning-list';

const SEVERITY_ICON: Record<Alert['severity'], string> = { error: '⛔', warning: '⚠', info: 'ℹ' };

function SummaryCard(props: { id: string; label: string; value: string; detail?: string; tone?: 'ok' | 'warn' | 'bad' }): JSX.Element {
  return (
    <div class={`card tone-${props.tone ?? 'plain'}`} data-testid={`card-${props.id}`}>
      <div class="card-label">{props.label}</div>
      <div class="card-value">{props.value}</div>
      <Show when={props.detail}>
        <div class="card-detail muted">{props.detail}</div>
      </Show>
    </div>
  );
}

function Summary(props: { report: QualityReport }): JSX.Element {
  const r = () => props.report;
  const missingFraction = () => r().missing_values.fraction ?? 0;
  return (
    <div class="cards" aria-label="Summary">
      <SummaryCard id="rows" label="Rows" value={formatCount(r().n_samples)} detail={`${r().dtype} ${formatShape(r().shape)}, ${formatBytes(r().bytes)}`} />
      <SummaryCard id="features" label="Features" value={formatCount(r().n_features)} />
      <SummaryCard
        id="missing"
        label="Missing"
        value={formatPercent(r().missing_values.fraction)}
        detail={`${formatCount(r().missing_values.count)} values`}
        tone={missingFraction() > 0.2 ? 'bad' : missingFraction() > 0 ? 'warn' : 'ok'}
      />
      <SummaryCard
        id="constant"
        label="Constant features"
        value={formatCount(r().constant_features.length)}
        tone={r().constant_features.length ? 'warn' : 'ok'}
      />
      <SummaryCard id="duplicates" label="Duplicate rows" value={formatCount(r().duplicate_rows)} tone={r().duplicate_rows ? 'warn' : 'ok'} />
      <Show when={r().labels}>
        <SummaryCard
          id="positives"
          label="Positives"
          value={formatCount(r().labels!.positives)}
          detail={`${formatPercent(r().labels!.positive_fraction)} of ${formatCount(r().labels!.n)} labels`}
        />
      </Show>
    </div>
  );
}

function Alerts(props: { alerts: Alert[] }): JSX.Element {
  return (
    <section class="panel" aria-label="Alerts">
      <h3>Alerts ({props.alerts.length})</h3>
      <Show when={props.alerts.length} fallback={<p class="muted">No alerts: nothing unusual was found.</p>}>
        <ul class="alerts" data-testid="alerts">
          <For each={props.alerts}>
            {(a) => (
              <li class={`alert severity-${a.severity}`} data-code={a.code}>
                <span class="alert-icon" role="img" aria-label={a.severity}>
                  {SEVERITY_ICON[a.severity]}
                </span>
                <span class="alert-text">{a.message}</span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** The label balance as one stacked bar: negatives, positives, missing and invalid labels. */
function LabelBalance(props: { labels: LabelReport }): JSX.Element {
  const l = () => props.labels;
  const parts = () =>
    [
      { key: 'negatives', label: 'negatives (0)', n: l().negatives },
      { key: 'positives', label: 'positives (1)', n: l().positives },
      { key: 'missing', label: 'missing', n: l().missing },
      { key: 'invalid', label: 'other values', n: l().invalid },
    ].filter((p) => p.n > 0);
  const total = () => Math.max(1, l().n);
  return (
    <section class="panel" aria-label="Label balance">
      <h3>Labels</h3>
      <div class="balance-bar" role="img" aria-label={parts().map((p) => `${p.label}: ${p.n}`).join(', ')} data-testid="label-balance">
        <For each={parts()}>{(p) => <span class={`balance-${p.key}`} style={{ width: `${(100 * p.n) / total()}%` }} />}</For>
      </div>
      <ul class="balance-legend">
        <For each={parts()}>
          {(p) => (
            <li>
              <span class={`swatch balance-${p.key}`} aria-hidden="true" /> {p.label}: {formatCount(p.n)} ({formatPercent(p.n / total())})
            </li>
          )}
        </For>
      </ul>
      <Show when={l().length_mismatch}>
        <p class="field-error">The labels have a different length from the features.</p>
      </Show>
    </section>
  );
}

function exportReport(report: QualityReport): void {
  const json = JSON.stringify(unwrap(report), null, 2);
  const base = report.files.features.replace(/\.(npy|npz)$/i, '').replace(/[^\w.-]+/g, '_');
  downloadBlob(new Blob([json], { type: 'application/json' }), `${base || 'features'}.report.json`);
}

/**
 * Renders in stages, one task each (summary and alerts, then the feature table, then the heat map), so
 * that no single UI-thread task of a wide report gets near 50 ms.
 */
function useStagedRender(stages: number) {
  const [stage, setStage] = createSignal(0);
  onMount(() => {
    let timer: ReturnType<typeof setTimeout>;
    const next = () => {
      setStage((s) => s + 1);
      if (stage() < stages) timer = setTimeout(next, 0);
    };
    timer = setTimeout(next, 0);
    onCleanup(() => clearTimeout(timer));
  });
  return stage;
}

function ReportBody(props: { report: QualityReport }): JSX.Element {
  const r = () => props.report;
  const stage = useStagedRender(2);
  return (
    <div class="report" data-testid="report">
      <div class="row report-head">
        <p class="muted">
          {r().files.features}
          {r().files.labels ? ` + ${r().files.labels}` : ''}
          {r().files.metadata ? ` + ${r().files.metadata}` : ''}
        </p>
        <button type="button" onClick={() => exportReport(r())} data-testid="export-report">
          Export report JSON
        </button>
      </div>
      <Summary report={r()} />
      <WarningList warnings={r().warnings} />
      <Alerts alerts={r().alerts} />
      <Show when={r().labels}>
        <LabelBalance labels={r().labels!} />
      </Show>
      <section class="panel" aria-label="Features">
        <h3>Features</h3>
        <Show when={stage() >= 1} fallback={<p class="muted">Drawing the table…</p>}>
          <FeatureTable features={r().features} nSamples={r().n_samples} hasLabels={!!r().labels} />
        </Show>
      </section>
      <Show when={r().n_features > 1 && stage() >= 2}>
        <section class="panel" aria-label="Correlation">
          <h3>Correlation</h3>
          <p class="muted">{r().correlation.method}</p>
          <HeatMap matrix={r().correlation.matrix} names={r().features.map((f) => f.name)} />
        </section>
      </Show>
    </div>
  );
}

export default function ReportView(): JSX.Element {
  const job = () => appState.report;
  createEffect(() => {
    if (shouldAutoRun()) untrack(() => void runReport());
  });
  return (
    <div class="report-screen">
      <div class="row">
        <h2>Report</h2>
        <Show when={appState.features}>
          <button type="button" class="primary" data-testid="run-report" disabled={job().status === 'running'} onClick={() => void runReport()}>
            {job().result ? 'Run again' : 'Run'}
          </button>
        </Show>
      </div>
      <Switch>
        <Match when={!appState.features && !job().result}>
          <div class="empty-state" data-testid="report-empty">
            <p>No features yet. Drop features.npy (and labels.npy) on the Files screen to get a report.</p>
            <button type="button" onClick={() => showScreen('files')}>
              Go to Files
            </button>
          </div>
        </Match>
        <Match when={job().status === 'running'}>
          <ProgressBar label="Computing the report" progress={job().progress} onCancel={reportRunner.cancel} cancelling={reportRunner.cancelling()} />
        </Match>
        <Match when={job().status === 'cancelled'}>
          <p role="status" class="status-cancelled" data-testid="report-cancelled">
            Report cancelled. Press Run to start again.
          </p>
        </Match>
        <Match when={job().status === 'error'}>
          <ErrorBanner title="The report failed." message={job().error ?? ''} />
        </Match>
      </Switch>
      <Show when={job().status !== 'running' && job().result}>
        <Show when={reportIsStale()}>
          <p class="muted" role="status">
            This report is for other files than the ones selected now.
          </p>
        </Show>
        <ReportBody report={job().result!} />
      </Show>
    </div>
  );
}
