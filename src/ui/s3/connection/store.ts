/**
 * The S3 screens' shared state: the connection settings (persisted, non-secret), the temporary keys
 * (memory only) and the result of the last connection test. Provided once by the S3 view; every panel
 * reads it through `useS3Connection()`.
 */
import { createContext, createEffect, createSignal, on, useContext, type Accessor } from 'solid-js';
import { createStore, type SetStoreFunction } from 'solid-js/store';
import {
  EMPTY_SETTINGS,
  loadStoredSettings,
  storeSettings,
  type ConnectionSettings,
  type TemporaryKeys,
} from './settings';
import { normalizePrefix } from '../../../s3/config';

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

/**
 * The settings the panel starts with: config.json's under what the user saved before, except that
 * config.json names the running local server (its ports change between `npm start`s), so in local mode
 * only the saved prefix is kept; and a saved choice of another kind applies only to typed-in keys.
 */
export function initialSettings(
  fromConfig: Partial<ConnectionSettings> | undefined,
  stored: Partial<ConnectionSettings> | undefined = loadStoredSettings(),
): ConnectionSettings {
  if (!fromConfig) return { ...EMPTY_SETTINGS, ...stored };
  if (!stored) return { ...EMPTY_SETTINGS, ...fromConfig };
  const keepPrefix = stored.prefix !== undefined ? { prefix: stored.prefix } : {};
  if (stored.kind === 'keys' && fromConfig.kind !== 'keys') return { ...EMPTY_SETTINGS, ...fromConfig, ...keepPrefix, kind: 'keys' };
  if (stored.kind !== fromConfig.kind || fromConfig.kind === 'local') return { ...EMPTY_SETTINGS, ...fromConfig, ...keepPrefix };
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
      const plain: ConnectionSettings = { ...settings, prefix: normalizePrefix(settings.prefix) };
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

/**
 * Runs `reset` whenever the connection changes (another bucket, prefix, kind or keys), so a panel never
 * shows results that belong to the previous connection. Registers its own cleanup (reactive).
 */
export function createConnectionReset(conn: S3ConnectionState, reset: () => void): void {
  createEffect(on(() => JSON.stringify(conn.snapshot()), reset, { defer: true }));
}
