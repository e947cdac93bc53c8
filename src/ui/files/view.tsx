/**
 * The Files screen: the drop zone / picker, a card per file, and what is selected as features, labels
 * and metadata (reassignable on each card). Once features are set the Report can run.
 */
import { For, Show, type JSX } from 'solid-js';
import { DropZone } from './drop-zone';
import { FileCard } from './file-card';
import { ingestFiles } from './ingest';
import { appState, arrayInfoOf } from '../shell/store';
import { formatShape } from '../common/format';
import { showScreen } from '../shell/navigation';

function SelectionSummary(): JSX.Element {
  const name = (sel: typeof appState.features) => {
    if (!sel) return undefined;
    const file = appState.files.find((f) => f.id === sel.fileId);
    return file ? (sel.entry ? `${file.name}:${sel.entry}` : file.name) : undefined;
  };
  const shapeOf = (sel: typeof appState.features) => {
    const info = arrayInfoOf(sel);
    return info ? formatShape(info.shape) : '';
  };
  return (
    <section class="panel selection" aria-label="Selected inputs">
      <dl class="selection-list">
        <dt>Features</dt>
        <dd data-testid="selected-features">
          {name(appState.features) ?? <span class="muted">none — drop features.npy (or pick an array)</span>}{' '}
          <span class="mono muted">{shapeOf(appState.features)}</span>
        </dd>
        <dt>Labels</dt>
        <dd data-testid="selected-labels">
          {name(appState.labels) ?? <span class="muted">none (optional for the report)</span>}{' '}
          <span class="mono muted">{shapeOf(appState.labels)}</span>
        </dd>
        <dt>Metadata</dt>
        <dd>
          {appState.files.find((f) => f.id === appState.metadataFileId)?.name ?? <span class="muted">none (optional)</span>}
        </dd>
      </dl>
      <div class="row">
        <button type="button" class="primary" disabled={!appState.features} onClick={() => showScreen('report')}>
          Go to Report
        </button>
        <button type="button" disabled={!appState.features || !appState.labels} onClick={() => showScreen('prepare')}>
          Go to Prepare
        </button>
      </div>
    </section>
  );
}

export default function FilesView(): JSX.Element {
  return (
    <div class="files-screen">
      <h2>Files</h2>
      <DropZone onFiles={(files) => void ingestFiles(files)} compact={appState.files.length > 0} />
      <Show
        when={appState.files.length > 0}
        fallback={
          <p class="empty-state" data-testid="files-empty">
            No files yet. Everything stays on this computer: files are read locally by WebAssembly.
          </p>
        }
      >
        <SelectionSummary />
        <div class="file-cards">
          <For each={appState.files}>{(f) => <FileCard file={f} />}</For>
        </div>
      </Show>
    </div>
  );
}
