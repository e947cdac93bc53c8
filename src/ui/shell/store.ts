/**
 * The app's shared state: the dropped files and their roles, the report, the prepare result. One store
 * for every screen (Files, Report, Prepare, S3) so that a screen can read what another produced — e.g.
 * the S3 screens read `appState.prepare.result` to offer uploading the prepared splits from OPFS.
 * Read it through `appState` (never destructure: a Solid store is read lazily); change it only through
 * the functions below.
 */
import { createStore, produce, reconcile } from 'solid-js/store';
import type { ArrayInfo } from '../../core/npy';
import type { Progress } from '../../core/progress';
import type { InputRef } from '../../core/input';
import type { QualityReport } from '../../core/report-types';
import type { PreparedOutput } from '../../workers/engine.host';

/** What a dropped file is used for. */
export type FileRole = 'features' | 'labels' | 'metadata' | 'unused';

/** One array of a dropped file: the file itself for `.npy`, one entry for `.npz`. */
export interface DroppedArray {
  /** `undefined` for a `.npy` file, the entry name (e.g. `features.npy`) inside a `.npz`. */
  entry?: string;
  info: ArrayInfo;
}

/** A file the user dropped or picked. */
export interface DroppedFile {
  /** Stable id (the file list may contain two files with the same name). */
  id: string;
  file: File;
  name: string;
  size: number;
  kind: 'npy' | 'npz' | 'json' | 'other';
  /** `inspecting` until the engine has read the header(s). */
  status: 'inspecting' | 'ready' | 'error';
  /** Header facts per array (one for `.npy`, one per entry for `.npz`). */
  arrays: DroppedArray[];
  /** The engine's message as written (names the file). */
  error?: string;
  /** Role of a `.npy` / `.json` file; a `.npz` file's arrays get roles through `features` / `labels`. */
  role: FileRole;
  /** For a metadata `.json`: what it declares. */
  metadataSummary?: MetadataSummary;
}

/** What a features_metadata.json declares (shown on its card). */
export interface MetadataSummary {
  nFeatures?: number;
  /** Number of feature names. */
  names: number;
}

/** Which file (and archive entry) plays a role. */
export interface ArraySelection {
  fileId: string;
  entry?: string;
}

/** State of one long job (report or prepare). */
export interface JobState<T> {
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  progress?: Progress;
  result?: T;
  error?: string;
  /** Which inputs the result was computed from (to tell whether it is stale). */
  inputsKey?: string;
}

export interface AppState {
  files: DroppedFile[];
  features?: ArraySelection;
  labels?: ArraySelection;
  /** Id of the `.json` file used as features_metadata.json. */
  metadataFileId?: string;
  report: JobState<QualityReport>;
  /**
   * The last prepare run. `result` is also set on load when OPFS still holds a prepared layout (a reload
   * loses nothing): `result.root` + `result.files` say where the files are; read one with
   * `openPreparedFile(result, 'data/training/features.npy')` from src/workers/opfs-prepared.ts.
   */
  prepare: JobState<PreparedOutput>;
}

const [state, setState] = createStore<AppState>({
  files: [],
  report: { status: 'idle' },
  prepare: { status: 'idle' },
});

/** The shared app state (reactive, read-only: change it through the functions in this module). */
export const appState: AppState = state;
/** Raw setter, for the screen modules of this app only. */
export const setAppState = setState;

let nextFileId = 1;

/** Guesses a file's kind from its name. */
export function fileKind(name: string): DroppedFile['kind'] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.npz')) return 'npz';
  if (lower.endsWith('.json')) return 'json';
  return 'other';
}

/** Guesses the role of an array from its (file or entry) name: `features*`/`X*` and `labels*`/`y*`/`target*`. */
export function roleFromName(name: string): FileRole {
  const original = name.split(/[\\/:]/).pop() ?? name;
  const base = original.toLowerCase();
  if (base.endsWith('.json')) return 'metadata';
  // `X…` / `y…` as numpy users name them (X_train, Xtest, y, y_val); a lower-case x or an upper-case Y
  // only when not followed by a letter, so `xenon.npy` and `yield.npy` are not taken for arrays of a role.
  if (base.startsWith('features') || /^X/.test(original) || /^x([^a-z]|$)/.test(base)) return 'features';
  if (base.startsWith('labels') || base.startsWith('target') || /^y([^a-z]|$)/.test(base) || /^y[A-Z]/.test(original))
    return 'labels';
  return 'unused';
}

/** Adds files (state `inspecting`); returns their new ids. */
export function addFiles(files: File[]): DroppedFile[] {
  const added: DroppedFile[] = files.map((file) => {
    const kind = fileKind(file.name);
    return {
      id: `f${nextFileId++}`,
      file,
      name: file.name,
      size: file.size,
      kind,
      status: kind === 'json' || kind === 'other' ? 'ready' : 'inspecting',
      arrays: [],
      role: kind === 'npz' ? 'unused' : kind === 'other' ? 'unused' : roleFromName(file.name),
    };
  });
  setState('files', (fs) => [...fs, ...added]);
  for (const f of added) {
    if (f.kind === 'other') markFileError(f.id, `${f.name}: not a .npy, .npz or .json file.`);
    if (f.kind === 'json' && f.role === 'metadata' && !state.metadataFileId) setState('metadataFileId', f.id);
  }
  return added;
}

/** Records the header facts of a file and assigns roles that are still free by name. */
export function markFileInspected(id: string, arrays: DroppedArray[]): void {
  setState(
    'files',
    (f) => f.id === id,
    produce((f) => {
      f.status = 'ready';
      f.arrays = arrays;
    }),
  );
  const file = state.files.find((f) => f.id === id);
  if (!file) return;
  if (file.kind === 'npy') {
    if (file.role === 'features' && !state.features) setState('features', { fileId: id });
    else if (file.role === 'labels' && !state.labels) setState('labels', { fileId: id });
  } else if (file.kind === 'npz') {
    for (const a of arrays) {
      const role = roleFromName(a.entry ?? '');
      if (role === 'features' && !state.features) setState('features', { fileId: id, entry: a.entry });
      else if (role === 'labels' && !state.labels) setState('labels', { fileId: id, entry: a.entry });
    }
  }
}

/** Records a per-file error (the message names the file) without touching the other files. */
export function markFileError(id: string, message: string): void {
  setState(
    'files',
    (f) => f.id === id,
    produce((f) => {
      f.status = 'error';
      f.error = message;
    }),
  );
  if (state.features?.fileId === id) setState('features', undefined);
  if (state.labels?.fileId === id) setState('labels', undefined);
}

/** Gives `role` to one array (a `.npy` file or a `.npz` entry); the previous holder of that role becomes unused. */
export function assignRole(fileId: string, entry: string | undefined, role: FileRole): void {
  const sel: ArraySelection = entry === undefined ? { fileId } : { fileId, entry };
  const same = (s?: ArraySelection) => s?.fileId === fileId && s?.entry === entry;
  setState(
    produce((s: AppState) => {
      if (same(s.features) && role !== 'features') s.features = undefined;
      if (same(s.labels) && role !== 'labels') s.labels = undefined;
      if (role === 'features' || role === 'labels') {
        const prev = s[role];
        if (prev && prev.entry === undefined) {
          const pf = s.files.find((f) => f.id === prev.fileId);
          if (pf && pf.kind === 'npy') pf.role = 'unused';
        }
        s[role] = sel;
      }
      const file = s.files.find((f) => f.id === fileId);
      if (file && file.kind !== 'npz') file.role = role;
      if (role === 'metadata') s.metadataFileId = fileId;
      else if (s.metadataFileId === fileId) s.metadataFileId = undefined;
    }),
  );
}

/** The role an array currently plays. */
export function roleOf(fileId: string, entry?: string): FileRole {
  if (state.features?.fileId === fileId && state.features.entry === entry) return 'features';
  if (state.labels?.fileId === fileId && state.labels.entry === entry) return 'labels';
  if (entry === undefined && state.metadataFileId === fileId) return 'metadata';
  return 'unused';
}

/** Removes a dropped file and any role it held. */
export function removeFile(id: string): void {
  setState(
    produce((s: AppState) => {
      s.files = s.files.filter((f) => f.id !== id);
      if (s.features?.fileId === id) s.features = undefined;
      if (s.labels?.fileId === id) s.labels = undefined;
      if (s.metadataFileId === id) s.metadataFileId = undefined;
    }),
  );
}

/** The engine input for a selection (a `File` crosses to the worker by structured clone, no copy). */
export function inputRefOf(sel: ArraySelection | undefined): InputRef | undefined {
  if (!sel) return undefined;
  const file = state.files.find((f) => f.id === sel.fileId);
  if (!file || file.status !== 'ready') return undefined;
  return sel.entry === undefined
    ? { kind: 'blob', blob: file.file, name: file.name }
    : { kind: 'blob', blob: file.file, name: file.name, entry: sel.entry };
}

/** The header facts of the array a selection names. */
export function arrayInfoOf(sel: ArraySelection | undefined): ArrayInfo | undefined {
  if (!sel) return undefined;
  const file = state.files.find((f) => f.id === sel.fileId);
  return file?.arrays.find((a) => a.entry === sel.entry)?.info;
}

/** The dropped metadata file, if any. */
export function metadataFile(): File | undefined {
  return state.files.find((f) => f.id === state.metadataFileId)?.file;
}

/** A key that changes whenever the selected inputs change (results computed from other inputs are stale). */
export function inputsKey(): string {
  const k = (s?: ArraySelection) => (s ? `${s.fileId}:${s.entry ?? ''}` : '-');
  return `${k(state.features)}|${k(state.labels)}|${state.metadataFileId ?? '-'}`;
}

/** Resets the whole store (tests). */
export function resetAppState(): void {
  setState(reconcile({ files: [], report: { status: 'idle' }, prepare: { status: 'idle' } } as AppState));
}
