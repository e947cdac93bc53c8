/**
 * The metadata editor: per-feature names, units and types, plus data source, date and spatial info;
 * import an existing features_metadata.json, or paste names one per line.
 */
import { createSignal, For, Index, Show, type JSX } from 'solid-js';
import { metadataState, setMetadataState } from './store';
import { applyPastedNames, draftFromMetadata, draftProblems } from './metadata';
import { ErrorBanner } from '../common/error-banner';

/** Feature types the seed's documentation names (free text is allowed too). */
const KNOWN_TYPES = ['geophysical', 'geochemical', 'geological', 'remote_sensing', 'topographic', 'proximity'];

export function MetadataEditor(): JSX.Element {
  const [paste, setPaste] = createSignal('');
  const [importError, setImportError] = createSignal<string>();
  let importInput!: HTMLInputElement;
  const draft = () => metadataState.draft;

  const importFile = async (file: File) => {
    setImportError(undefined);
    try {
      const json = JSON.parse(await file.text());
      setMetadataState({ draft: draftFromMetadata(json, draft()?.names.length ?? 0), importedFrom: file.name });
    } catch (e) {
      setImportError(`${file.name}: not valid JSON (${(e as Error).message}).`);
    }
  };

  const text = (key: 'dataSource' | 'dateCollected' | 'coordinateSystem' | 'spatialResolution', label: string, type = 'text') => (
    <label class="field">
      <span class="field-label">{label}</span>
      <input type={type} value={draft()![key]} onInput={(e) => setMetadataState('draft', key, e.currentTarget.value)} />
    </label>
  );

  return (
    <details class="panel metadata-editor">
      <summary>
        Feature metadata{' '}
        <span class="muted">
          ({draft()?.names.length ?? 0} features
          <Show when={metadataState.importedFrom}>, from {metadataState.importedFrom}</Show>)
        </span>
      </summary>
      <Show when={draft()} fallback={<p class="muted">Choose the features array first.</p>}>
        <div class="row">
          <button type="button" onClick={() => importInput.click()}>
            Import features_metadata.json…
          </button>
          <input
            ref={importInput}
            type="file"
            accept=".json,application/json"
            class="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const f = e.currentTarget.files?.[0];
              if (f) void importFile(f);
              e.currentTarget.value = '';
            }}
          />
        </div>
        <Show when={importError()}>
          <ErrorBanner message={importError()!} onDismiss={() => setImportError(undefined)} />
        </Show>
        <div class="metadata-fields">
          {text('dataSource', 'Data source')}
          {text('dateCollected', 'Date collected', 'date')}
          {text('coordinateSystem', 'Coordinate system')}
          {text('spatialResolution', 'Spatial resolution')}
        </div>
        <label class="field paste-names">
          <span class="field-label">Paste feature names, one per line</span>
          <textarea rows={4} value={paste()} onInput={(e) => setPaste(e.currentTarget.value)} />
        </label>
        <button
          type="button"
          disabled={paste().trim() === ''}
          onClick={() => {
            setMetadataState('draft', applyPastedNames(draft()!, paste()));
            setPaste('');
          }}
        >
          Apply names
        </button>
        <Show when={draftProblems(draft()!).length}>
          <ul class="warnings" role="alert">
            <For each={draftProblems(draft()!)}>{(p) => <li>{p}</li>}</For>
          </ul>
        </Show>
        <datalist id="feature-types">
          <For each={KNOWN_TYPES}>{(t) => <option value={t} />}</For>
        </datalist>
        <div class="table-scroll">
          <table class="metadata-table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">name</th>
                <th scope="col">unit</th>
                <th scope="col">type</th>
              </tr>
            </thead>
            <tbody>
              {/* Index, not For: rows are keyed by position so typing in a name keeps the focus. */}
              <Index each={draft()!.names}>
                {(name, i) => (
                  <tr>
                    <td class="num">{i}</td>
                    <td>
                      <input
                        aria-label={`Name of feature ${i}`}
                        value={name()}
                        onInput={(e) => setMetadataState('draft', 'names', i, e.currentTarget.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Unit of feature ${i}`}
                        value={draft()!.units[i] ?? ''}
                        onInput={(e) => setMetadataState('draft', 'units', i, e.currentTarget.value)}
                      />
                    </td>
                    <td>
                      <input
                        aria-label={`Type of feature ${i}`}
                        list="feature-types"
                        value={draft()!.types[i] ?? ''}
                        onInput={(e) => setMetadataState('draft', 'types', i, e.currentTarget.value)}
                      />
                    </td>
                  </tr>
                )}
              </Index>
            </tbody>
          </table>
        </div>
      </Show>
    </details>
  );
}
