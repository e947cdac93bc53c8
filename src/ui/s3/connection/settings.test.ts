import { describe, expect, it } from 'vitest';
import { EMPTY_SETTINGS, loadStoredSettings, SETTINGS_STORAGE_KEY, storeSettings, type ConnectionSettings } from './settings';
import { initialSettings } from './store';

function memoryStorage(): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

const local: Partial<ConnectionSettings> = {
  kind: 'local',
  region: 'us-east-1',
  bucket: 'workbench',
  identityPoolId: 'us-east-1:00000000-0000-4000-8000-00000000c0de',
  endpoint: 'http://127.0.0.1:5001',
  cognitoEndpoint: 'http://127.0.0.1:5002',
};

describe('connection settings persistence', () => {
  it('stores only the non-secret fields and reads them back', () => {
    const storage = memoryStorage();
    const withSecrets = { ...EMPTY_SETTINGS, bucket: 'b', secretAccessKey: 'SECRET', accessKeyId: 'AKIA' } as ConnectionSettings;
    storeSettings(withSecrets, storage);
    const raw = storage.data.get(SETTINGS_STORAGE_KEY)!;
    expect(raw).not.toContain('SECRET');
    expect(raw).not.toContain('AKIA');
    expect(loadStoredSettings(storage)).toEqual({ ...EMPTY_SETTINGS, bucket: 'b' });
  });

  it('ignores a corrupt entry and an unknown kind', () => {
    const storage = memoryStorage();
    storage.setItem(SETTINGS_STORAGE_KEY, '{not json');
    expect(loadStoredSettings(storage)).toBeUndefined();
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ kind: 'ftp', bucket: 'b', extra: 1 }));
    expect(loadStoredSettings(storage)).toEqual({ bucket: 'b' });
  });
});

describe('initialSettings', () => {
  it("takes a local server's endpoints from config.json, keeping only the saved prefix", () => {
    const stored = { ...local, endpoint: 'http://127.0.0.1:1111', cognitoEndpoint: 'http://127.0.0.1:2222', prefix: 'team-a' };
    expect(initialSettings(local, stored)).toEqual({ ...EMPTY_SETTINGS, ...local, prefix: 'team-a' });
  });

  it('keeps the user edits of an AWS deployment and a saved choice of typed-in keys', () => {
    const aws = { kind: 'aws' as const, region: 'eu-west-1', bucket: 'from-config', identityPoolId: 'eu-west-1:x' };
    expect(initialSettings(aws, { kind: 'aws', bucket: 'edited' }).bucket).toBe('edited');
    expect(initialSettings(local, { kind: 'keys', prefix: 'p' })).toEqual({ ...EMPTY_SETTINGS, ...local, kind: 'keys', prefix: 'p' });
  });

  it('uses what was saved when there is no config.json, and defaults when nothing was', () => {
    expect(initialSettings(undefined, { kind: 'keys', bucket: 'b' })).toEqual({ ...EMPTY_SETTINGS, kind: 'keys', bucket: 'b' });
    expect(initialSettings(undefined, undefined)).toEqual(EMPTY_SETTINGS);
  });
});

describe('sessionFor', () => {
  it('names a missing setting, and checks typed settings like config.json', async () => {
    const { sessionFor } = await import('./session');
    const base = { ...EMPTY_SETTINGS, ...local, kind: 'local' as const };
    expect(() => sessionFor({ settings: { ...base, bucket: '' } })).toThrow('Enter the bucket name in the connection panel.');
    expect(() => sessionFor({ settings: { ...base, kind: 'keys' } })).toThrow('Enter the access key id and secret access key in the connection panel.');
    expect(() => sessionFor({ settings: { ...base, bucket: 'Not_A_Bucket' } })).toThrow(/^Connection settings: "bucket" must be an S3 bucket name/);
    expect(() => sessionFor({ settings: { ...base, region: 'eu-west-1' } })).toThrow(/^Connection settings: "identityPoolId" is in region us-east-1 but "region" is eu-west-1/);
    const session = sessionFor({ settings: { ...base, prefix: '/team-a/' } });
    expect([session.bucket, session.prefix, session.connection.kind]).toEqual(['workbench', 'team-a/', 'local']);
    expect(sessionFor({ settings: { ...base, prefix: '/team-a/' } })).toBe(session);
  });
});
