/**
 * What the connection panel edits. Non-secret settings persist in localStorage so a reload keeps them;
 * temporary access keys live only in memory (a signal in the store) and are never written anywhere.
 */

/** AWS through a Cognito identity pool, the embedded local server (also through Cognito, on loopback), or typed-in keys. */
export type ConnectionKind = 'aws' | 'local' | 'keys';

export interface ConnectionSettings {
  kind: ConnectionKind;
  region: string;
  identityPoolId: string;
  bucket: string;
  /** Key prefix inside the bucket as typed (`a/b`, `/a/b/`…); the S3 core normalises it to `a/b/`. */
  prefix: string;
  /** S3 endpoint for non-AWS servers (local, or keys against a local server); empty for AWS. */
  endpoint: string;
  /** Cognito endpoint override (the loopback identity endpoint in local mode); empty for AWS. */
  cognitoEndpoint: string;
}

/** Typed-in development keys: memory only. */
export interface TemporaryKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const SETTINGS_STORAGE_KEY = 'prospect.s3.connection.v1';

/** Field names allowed into storage: anything secret is absent by construction. */
const PERSISTED_FIELDS = ['kind', 'region', 'identityPoolId', 'bucket', 'prefix', 'endpoint', 'cognitoEndpoint'] as const;

export const EMPTY_SETTINGS: ConnectionSettings = {
  kind: 'aws',
  region: 'us-east-1',
  identityPoolId: '',
  bucket: '',
  prefix: '',
  endpoint: '',
  cognitoEndpoint: '',
};

/** The part of the Web Storage API used here (written out so this module also type-checks without the DOM). */
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** localStorage where it exists (the page), else undefined (workers, Node). */
function browserStorage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
}

/** Settings read back from storage, or undefined when absent or unreadable (a corrupt entry is ignored, not fatal). */
export function loadStoredSettings(storage: Pick<KeyValueStorage, 'getItem'> | undefined = browserStorage()): Partial<ConnectionSettings> | undefined {
  try {
    const raw = storage?.getItem(SETTINGS_STORAGE_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    const out: Partial<ConnectionSettings> = {};
    for (const field of PERSISTED_FIELDS) {
      const v = parsed[field];
      if (typeof v === 'string') (out as Record<string, string>)[field] = v;
    }
    if (out.kind && !['aws', 'local', 'keys'].includes(out.kind)) delete out.kind;
    return out;
  } catch {
    return undefined;
  }
}

/** Writes only the non-secret fields. */
export function storeSettings(settings: ConnectionSettings, storage: Pick<KeyValueStorage, 'setItem'> | undefined = browserStorage()): void {
  const picked: Record<string, string> = {};
  for (const field of PERSISTED_FIELDS) picked[field] = settings[field];
  try {
    storage?.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(picked));
  } catch {
    // Private browsing or a full quota: the settings still work for this session.
  }
}
