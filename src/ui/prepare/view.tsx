/**
 * The Prepare screen: settings (the seed recipe by default), the metadata editor, Run with progress and
 * Cancel, then the results and split health, and the exports. The last result is restored from OPFS
 * on page load, so a reload loses nothing.
 */
import { createEffect, Match, Show, Switch, type JSX } from 'solid-js';
import { appState, arrayInfoOf, inputsKey, metadataFile } from '../shell/store';
import { showScreen } from '../shell/navigation';
import { ProgressBar } from '../common/progress-bar';
import { ErrorBanner } from '../common/error-banner';
import { SettingsPanel } from './settings-panel';
import { MetadataEditor } from './metadata-editor';
import { PrepareResults } from './results';
import { metadataState, prepareRunner, restoringPrepared, runPrepare, setMetadataState, settingsForm } from './store';
import { settingsFromForm } from './settings-form';
import { draftFromMetadata, draftProblems, emptyDraft, resizeDraft } from './metadata';

/** Keeps the metadata draft in step with the features' width and the metadata file dropped on Files. */
function useMetadataDraft(): void {
  createEffect(() => {
    const info = arrayInfoOf(appState.features);
    if (!info) return;
    const n = info.cols;
    const file = metadataFile();
    const fileKey = file ? `${file.name}:${file.size}:${file.lastModified}` : undefined;
    if (file && metadataState.importedFrom !== fileKey) {
      void file
        .text()
        .then((t) => setMetadataState({ draft: draftFromMetadata(JSON.parse(t), n), importedFrom: fileKey }))
        .catch(() => setMetadataState({ draft: emptyDraft(n), importedFrom: fileKey }));
      return;
    }
    const d = metadataState.draft;
    if (!d) setMetadataState('draft', emptyDraft(n));
    else if (d.names.length !== n) setMetadataState('draft', resizeDraft(d, n));
  });
}

export default function PrepareView(): JSX.Element {
  useMetadataDraft();
  const job = () => appState.prepare;
  const ready = () => !!appState.features && !!appState.labels;
  const formValid = () => !!settingsFromForm(settingsForm).settings;
  const draftOk = () => !metadataState.draft || draftProblems(metadataState.draft).length === 0;
  const running = () => job().status === 'running';
  return (
    <div class="prepare-screen">
      <h2>Prepare</h2>
      <Show
        when={ready()}
        fallback={
          <div class="panel empty-inline" data-testid="prepare-needs-files">
            <p>Preparing needs a features array and a labels array.</p>
            <button type="button" onClick={() => showScreen('files')}>
              Go to Files
            </button>
          </div>
        }
      >
        <SettingsPanel />
        <MetadataEditor />
        <div class="run-bar">
          <button
            type="button"
            class="primary"
            data-testid="run-prepare"
            disabled={running() || !formValid() || !draftOk()}
            onClick={() => void runPrepare()}
          >
            {job().result ? 'Prepare again' : 'Prepare'}
          </button>
          <Show when={!formValid()}>
            <span class="field-error">Fix the highlighted settings.</span>
          </Show>
          <Show when={!draftOk()}>
            <span class="field-error">Fix the feature metadata: {draftProblems(metadataState.draft!)[0]}</span>
          </Show>
        </div>
      </Show>
      <Switch>
        <Match when={running()}>
          <ProgressBar
            label="Preparing"
            progress={job().progress}
            onCancel={prepareRunner.cancel}
            cancelling={prepareRunner.cancelling()}
          />
        </Match>
        <Match when={job().status === 'cancelled'}>
          <p role="status" class="status-cancelled" data-testid="prepare-cancelled">
            Prepare cancelled.{job().result ? ' The previous result below is unchanged.' : ''}
          </p>
        </Match>
        <Match when={job().status === 'error'}>
          <ErrorBanner title="Prepare failed." message={job().error ?? ''} />
        </Match>
      </Switch>
      <Show when={restoringPrepared()}>
        <p class="muted" role="status">
          Looking for prepared data in browser storage…
        </p>
      </Show>
      <Show when={job().result}>
        <PrepareResults
          prepared={job().result!}
          stale={job().inputsKey !== undefined && job().inputsKey !== 'stored' && job().inputsKey !== inputsKey()}
        />
      </Show>
    </div>
  );
}
