/**
 * A prepare run's results: sizes and positives per split, split health (drift of every feature between
 * training and the other splits, rows identical across splits), the files with their SHA-256, and the
 * exports (.zip streamed from OPFS, or into a folder).
 */
import { createSignal, For, Show, type JSX } from 'solid-js';
import type { PreparedOutput } from '../../workers/engine.host';
import { formatBytes, formatCount, formatPercent, formatStat, errorMessage } from '../common/format';
import { ProgressBar } from '../common/progress-bar';
import { ErrorBanner } from '../common/error-banner';
import { WarningList } from '../common/warning-list';
import type { Progress } from '../../core/progress';
import { isAbortError } from '../../core/errors';
import { canExportToFolder, exportPreparedToFolder, exportPreparedZip } from './zip-export';

/** PSI bands commonly used for population drift. */
export function psiLevel(psi: number): 'stable' | 'moderate' | 'shift' {
  if (!(psi >= 0.1)) return 'stable';
  return psi < 0.25 ? 'moderate' : 'shift';
}

function Exports(props: { prepared: PreparedOutput }): JSX.Element {
  const [busy, setBusy] = createSignal<'zip' | 'folder'>();
  const [progress, setProgress] = createSignal<Progress>();
  const [message, setMessage] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  let controller: AbortController | undefined;
  const run = async (kind: 'zip' | 'folder') => {
    controller = new AbortController();
    setBusy(kind);
    setError(undefined);
    setMessage(undefined);
    setProgress(undefined);
    try {
      const opts = { signal: controller.signal, onProgress: setProgress };
      if (kind === 'zip') {
        const how = await exportPreparedZip(props.prepared, opts);
        setMessage(how === 'file' ? 'The .zip was saved.' : 'The .zip download has started.');
      } else {
        await exportPreparedToFolder(props.prepared, opts);
        setMessage('The layout was written into the folder.');
      }
    } catch (e) {
      if (isAbortError(e)) setMessage('Export cancelled.');
      else setError(errorMessage(e));
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <div class="exports">
      <div class="row">
        <button type="button" class="primary" disabled={!!busy()} onClick={() => void run('zip')} data-testid="export-zip">
          Export .zip
        </button>
        <Show when={canExportToFolder()}>
          <button type="button" disabled={!!busy()} onClick={() => void run('folder')}>
            Export to a folder…
          </button>
        </Show>
      </div>
      <Show when={busy()}>
        <ProgressBar label={busy() === 'zip' ? 'Writing the .zip' : 'Copying files'} progress={progress()} onCancel={() => controller?.abort()} />
      </Show>
      <Show when={message()}>
        <p role="status" class="muted" data-testid="export-status">
          {message()}
        </p>
      </Show>
      <Show when={error()}>
        <ErrorBanner title="Export failed." message={error()!} onDismiss={() => setError(undefined)} />
      </Show>
    </div>
  );
}

export function PrepareResults(props: { prepared: PreparedOutput; stale?: boolean }): JSX.Element {
  const r = () => props.prepared.result;
  const leakage = () => r().health.leakage;
  const leakageTotal = () => leakage().trainingValidation + leakage().trainingTest + leakage().validationTest;
  return (
    <section class="prepare-results" aria-label="Prepare results" data-testid="prepare-results">
      <div class="panel">
        <h3>Prepared data</h3>
        <p class="muted">
          {formatCount(r().rows)} rows × {formatCount(r().features)} features, kept in browser storage since{' '}
          {new Date(props.prepared.savedAt).toLocaleString()}.
          <Show when={props.stale}> These were prepared from other files than the ones selected now.</Show>
        </p>
        <Exports prepared={props.prepared} />
      </div>

      <WarningList warnings={r().warnings} class="panel" label="Warnings" />

      <div class="panel">
        <h3>Splits</h3>
        <table class="data-table" data-testid="split-table">
          <thead>
            <tr>
              <th scope="col">split</th>
              <th scope="col" class="num">rows</th>
              <th scope="col" class="num">positives</th>
              <th scope="col" class="num">positive fraction</th>
            </tr>
          </thead>
          <tbody>
            <For each={r().health.splits}>
              {(s) => (
                <tr data-split={s.split}>
                  <th scope="row">{s.split}</th>
                  <td class="num" data-testid={`rows-${s.split}`}>{formatCount(s.rows)}</td>
                  <td class="num" data-testid={`positives-${s.split}`}>{formatCount(s.positives)}</td>
                  <td class="num">{formatPercent(s.positiveFraction)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={r().sizes.synthetic > 0}>
          <p class="muted">The training split includes {formatCount(r().sizes.synthetic)} synthetic SMOTE rows.</p>
        </Show>
      </div>

      <div class="panel">
        <h3>Split health</h3>
        <p classList={{ 'leak-alert': leakageTotal() > 0 }} data-testid="leakage">
          Rows identical across splits: training–validation {formatCount(leakage().trainingValidation)}, training–test{' '}
          {formatCount(leakage().trainingTest)}, validation–test {formatCount(leakage().validationTest)}
          {leakageTotal() > 0 ? ' — the same input row in two splits leaks information into evaluation.' : '.'}
        </p>
        <p class="muted">Drift of each feature against training (population stability index; &lt; 0.1 stable, 0.1–0.25 moderate, &gt; 0.25 shift):</p>
        <div class="table-scroll">
          <table class="data-table" data-testid="drift-table">
            <thead>
              <tr>
                <th scope="col">feature</th>
                <th scope="col" class="num">PSI validation</th>
                <th scope="col" class="num">PSI test</th>
              </tr>
            </thead>
            <tbody>
              <For each={r().health.drift}>
                {(d) => (
                  <tr>
                    <th scope="row">{d.feature}</th>
                    <td class={`num psi-${psiLevel(d.psiValidation)}`}>{formatStat(d.psiValidation)}</td>
                    <td class={`num psi-${psiLevel(d.psiTest)}`}>{formatStat(d.psiTest)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </div>

      <details class="panel">
        <summary>Files ({props.prepared.files.length})</summary>
        <table class="data-table files-table">
          <thead>
            <tr>
              <th scope="col">path</th>
              <th scope="col" class="num">size</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.prepared.files}>
              {(f) => (
                <tr>
                  <td class="mono">{f.path}</td>
                  <td class="num">{formatBytes(f.size)}</td>
                  <td class="mono hash">{r().files.find((x) => x.path === f.path)?.sha256 ?? '–'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </details>
    </section>
  );
}
