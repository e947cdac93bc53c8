/**
 * State of the Prepare screen that outlives switching tabs: the settings form (as typed), the metadata
 * draft, the run and the export. The run's result itself is in the shared store (`appState.prepare`), so
 * the S3 screens can upload it; on page load it is restored from OPFS (`restorePreparedFromStorage`).
 */
import { createSignal } from 'solid-js';
import { createStore, unwrap } from 'solid-js/store';
import { appState, setAppState, inputRefOf, inputsKey, type JobState } from '../shell/store';
import { makeJobRunner } from '../common/job';
import { defaultSettingsForm, settingsFromForm, type SettingsForm } from './settings-form';
import type { MetadataDraft } from './metadata';
import { metadataFromDraft } from './metadata';
import { getEngine } from '../../workers/engine.client';
import type { PreparedOutput } from '../../workers/engine.host';
import { readPreparedManifest } from '../../workers/opfs-prepared';
import { WorkbenchError } from '../../core/errors';

const [form, setForm] = createStore<SettingsForm>(defaultSettingsForm());
/** The settings form as typed (reactive). */
export const settingsForm = form;
export const setSettingsForm = setForm;

/** Resets the form to the seed recipe. */
export function resetSettingsForm(): void {
  setForm(defaultSettingsForm());
}

const [draftStore, setDraftStore] = createStore<{ draft?: MetadataDraft; importedFrom?: string }>({});
/** The metadata editor's draft (`undefined` until the features' width is known). */
export const metadataState = draftStore;
export const setMetadataState = setDraftStore;

/** The prepare job runner (keeps the last result visible while a new run is going: OPFS keeps it until commit). */
export const prepareRunner = makeJobRunner<PreparedOutput>(
  (patch) => setAppState('prepare', (s: JobState<PreparedOutput>) => ({ ...s, ...patch })),
  { keepResultWhileRunning: true },
);

/** Starts a prepare run with the current selection, form and metadata; resolves when it settles. */
export async function runPrepare(): Promise<void> {
  const features = inputRefOf(appState.features);
  const labels = inputRefOf(appState.labels);
  const { settings } = settingsFromForm(form);
  const draft = draftStore.draft;
  await prepareRunner.run(inputsKey(), async (opts) => {
    if (!features || !labels) throw new WorkbenchError('BAD_SETTING', 'Choose a features array and a labels array on the Files screen first.');
    if (!settings) throw new WorkbenchError('BAD_SETTING', 'Fix the highlighted settings first.');
    // Plain JSON (no store proxies) so it can be posted to the worker.
    const metadata = draft ? JSON.parse(JSON.stringify(metadataFromDraft(unwrap(draft)))) : undefined;
    return getEngine().prepare({ features, labels, settings, ...(metadata ? { metadata } : {}) }, opts);
  });
}

const [restoring, setRestoring] = createSignal(false);
/** True while the page looks for a prepared layout in OPFS. */
export const restoringPrepared = restoring;

/** On page load: shows the prepared layout kept in OPFS (if any) as the last result. */
export async function restorePreparedFromStorage(): Promise<void> {
  if (appState.prepare.status !== 'idle' || appState.prepare.result) return;
  setRestoring(true);
  try {
    const stored = await readPreparedManifest();
    if (stored && appState.prepare.status === 'idle' && !appState.prepare.result) {
      setAppState('prepare', { status: 'done', result: stored, inputsKey: 'stored' });
    }
  } finally {
    setRestoring(false);
  }
}

/** Deletes the prepared layout from browser storage. */
export async function clearPrepared(): Promise<void> {
  await getEngine().clearPrepared();
  setAppState('prepare', { status: 'idle', result: undefined, progress: undefined, error: undefined, inputsKey: undefined });
}
