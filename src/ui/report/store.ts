/** Running the quality report from the current selection (state lives in `appState.report`). */
import { appState, inputRefOf, inputsKey, metadataFile, setAppState, type JobState } from '../shell/store';
import { makeJobRunner } from '../common/job';
import { getEngine } from '../../workers/engine.client';
import type { QualityReport, ReportRequest } from '../../core/report-types';
import { WorkbenchError } from '../../core/errors';

export const reportRunner = makeJobRunner<QualityReport>((patch) =>
  setAppState('report', (s: JobState<QualityReport>) => ({ ...s, ...patch })),
);

/** Reads the selected features_metadata.json (small) so it can travel to the worker as an object. */
async function readMetadata(): Promise<{ metadata?: unknown; metadataName?: string }> {
  const file = metadataFile();
  if (!file) return {};
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    throw new WorkbenchError('IO_ERROR', `${file.name}: cannot be read (${(e as Error).message}).`, file.name);
  }
  try {
    return { metadata: JSON.parse(text), metadataName: file.name };
  } catch (e) {
    throw new WorkbenchError('BAD_METADATA', `${file.name}: not valid JSON (${(e as Error).message}).`, file.name);
  }
}

/** Runs the report for the current features (and labels and metadata, if chosen). */
export async function runReport(): Promise<void> {
  const features = inputRefOf(appState.features);
  const labels = inputRefOf(appState.labels);
  await reportRunner.run(inputsKey(), async (opts) => {
    if (!features) throw new WorkbenchError('BAD_SETTING', 'Choose a features array on the Files screen first.');
    const req: ReportRequest = { features, ...(labels ? { labels } : {}), ...(await readMetadata()) };
    return getEngine().report(req, opts);
  });
}

/** True when the report shown was computed from other inputs than the current selection. */
export function reportIsStale(): boolean {
  return appState.report.result !== undefined && appState.report.inputsKey !== inputsKey();
}

/** True when nothing is being inspected and the report for the current inputs has not been run yet. */
export function shouldAutoRun(): boolean {
  if (!appState.features || appState.files.some((f) => f.status === 'inspecting')) return false;
  const r = appState.report;
  if (r.status === 'running') return false;
  // After a cancel or an error the user decides (Run); otherwise run once per set of inputs.
  if ((r.status === 'cancelled' || r.status === 'error') && r.inputsKey === inputsKey()) return false;
  return r.inputsKey !== inputsKey() || r.status === 'idle';
}
