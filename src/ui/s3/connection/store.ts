/**
 * The S3 screens' shared state: the connection settings (persisted, non-secret), the temporary keys
 * (memory only) and the result of the last connection test. Provided once by the S3 view; every panel
 * reads it through `useS3Connection()`.
 */
import { createContext, createSignal, useContext, type Accessor } from 'solid-js';
import { createStore, type SetStoreFunction } from 'solid-js/store';
import {
  EMPTY_SETTINGS,
  loadStoredSettings,
  normalisePrefix,
  storeSettings,
  type ConnectionSettings,
  type TemporaryKeys,
} from './settings';

export interface S3ConnectionState {
  settings: ConnectionSettings;
  setSettings: SetStoreFunction<ConnectionSettings>;
  keys: Accessor<TemporaryKeys | undefined>;
  setKeys: (keys: TemporaryKeys | undefined) => void;
  /** Plain copy of what a connection needs (settings + keys in keys mode), safe to post to a worker. */
  snapshot(): ConnectionSnapshot;
  /** Persists the non-secret settings. */
  save(): void;
}

/** A cloneable description of one connection. */
export interface ConnectionSnapshot {
  settings: ConnectionSettings;
  keys?: TemporaryKeys;
}

/** Settings defaults from config.json (when present) under what the user saved before. */
export function initialSettings(fromConfig: Partial<ConnectionSettings> | undefined): ConnectionSettings {
  const stored = loadStoredSettings();
  // A deployment's config.json names its own bucket: a stored setting from another deployment on the
  // same origin must not silently win, so stored values apply only when the kinds agree.
  if (fromConfig && stored && stored.kind && stored.kind !== fromConfig.kind) {
    return { ...EMPTY_SETTINGS, ...fromConfig, ...(stored.kind === 'keys' ? { kind: 'keys' as const } : {}) };
  }
  return { ...EMPTY_SETTINGS, ...fromConfig, ...stored };
}

/** Makes the state; the S3 view calls this once and provides it. */
export function makeS3ConnectionState(initial: ConnectionSettings): S3ConnectionState {
  const [settings, setSettings] = createStore<ConnectionSettings>({ ...initial });
  const [keys, setKeys] = createSignal<TemporaryKeys | undefined>(undefined);
  return {
    settings,
    setSettings,
    keys,
    setKeys,
    snapshot() {
      const plain: ConnectionSettings = { ...settings, prefix: normalisePrefix(settings.prefix) };
      const k = keys();
      return settings.kind === 'keys' && k ? { settings: plain, keys: { ...k } } : { settings: plain };
    },
    save() {
      storeSettings({ ...settings });
    },
  };
}

export const S3ConnectionContext = createContext<S3ConnectionState>();

/** The connection state; throws a sentence naming the missing provider when used outside the S3 view. */
export function useS3Connection(): S3ConnectionState {
  const state = useContext(S3ConnectionContext);
  if (!state) throw new Error('useS3Connection() needs <S3ConnectionContext.Provider> (rendered by src/ui/s3/view.tsx) above it.');
  return state;
}
