// The upload worker's host, run in-thread against a real s3rver reached through the loopback Cognito
// endpoint (the same path the page's worker takes): verify, skip identical, ask before overwriting, cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { makeUploadHost } from './upload-host';
import { sessionFor } from '../connection/session';
import type { ConnectionSnapshot } from '../connection/store';
import type { FileStatus, UploadConflict } from './upload-types';
import { startTestServer, type TestServer } from '../../../../tests/s3/local-server';
import { isAbortError } from '../../../core/errors';
import { startCuttingProxy } from '../../../../tests/s3/tcp-proxy';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let server: TestServer;
let snap: ConnectionSnapshot;
beforeAll(async () => {
  server = await startTestServer();
  snap = {
    settings: {
      kind: 'local',
      region: server.region,
      identityPoolId: server.identityPoolId,
      bucket: server.bucket,
      prefix: 'host-test',
      endpoint: server.s3Endpoint,
      cognitoEndpoint: server.cognitoEndpoint,
    },
  };
});
afterAll(async () => {
  await server?.dispose();
});

async function objectBytes(key: string): Promise<Uint8Array> {
  const { client, bucket } = sessionFor(snap);
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToByteArray();
}

describe('upload host (the upload worker in-thread)', () => {
  // Over two 8 MiB parts: multipart.
  const features = randomBytes(17 * 1024 * 1024 + 17);
  const labels = randomBytes(4321);
  const files = () => [
    { path: 'data/training/features.npy', file: new File([features], 'features.npy') },
    { path: 'data/training/labels.npy', file: new File([labels], 'labels.npy') },
  ];

  it('uploads under the prefix with the SHA-256 recorded, verified, with progress snapshots', async () => {
    const host = makeUploadHost();
    const updates: FileStatus[][] = [];
    const asked: UploadConflict[] = [];
    const summary = await host.upload(1, snap, { kind: 'files', files: files() }, {}, (u) => updates.push(u), async (c) => {
      asked.push(c);
      return { overwrite: false, forAll: false };
    });
    expect(summary.uploaded).toBe(2);
    expect(summary.failed).toBe(0);
    expect(asked).toEqual([]);
    expect(summary.files.map((f) => [f.key, f.phase, f.verified])).toEqual([
      ['host-test/data/training/features.npy', 'done', true],
      ['host-test/data/training/labels.npy', 'done', true],
    ]);
    expect(sha(await objectBytes('host-test/data/training/features.npy'))).toBe(sha(features));
    expect(sha(await objectBytes('host-test/data/training/labels.npy'))).toBe(sha(labels));
    const { client, bucket } = sessionFor(snap);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'host-test/data/training/labels.npy' }));
    expect(head.Metadata?.sha256).toBe(sha(labels));
    expect(summary.files[0]!.sha256).toBe(sha(features));
    // Snapshots are mapped from the core's states: an 'uploading' one is always forced out, and the last
    // one shows every byte sent (intermediate ones depend on timing, the core's own tests check them).
    expect(updates.some((u) => u[0]!.phase === 'uploading')).toBe(true);
    expect(updates.at(-1)!.map((f) => [f.phase, f.sentBytes])).toEqual([['done', features.length], ['done', labels.length]]);
  });

  it('skips identical objects on a re-run, so nothing is sent again', async () => {
    const summary = await makeUploadHost().upload(2, snap, { kind: 'files', files: files() }, {}, () => {}, async () => ({ overwrite: true, forAll: true }));
    expect([summary.uploaded, summary.skipped, summary.bytesSent]).toEqual([0, 2, 0]);
    expect(summary.files.every((f) => f.phase === 'skipped' && f.message === 'identical object already in the bucket')).toBe(true);
  });

  it('asks before overwriting a different object: keep leaves it, overwrite replaces it', async () => {
    const changed = randomBytes(5000);
    const source = { kind: 'files' as const, files: [{ path: 'data/training/labels.npy', file: new File([changed], 'labels.npy') }] };
    const asked: UploadConflict[] = [];
    const kept = await makeUploadHost().upload(3, snap, source, {}, () => {}, async (c) => {
      asked.push(c);
      return { overwrite: false, forAll: false };
    });
    expect(asked).toEqual([{ key: 'host-test/data/training/labels.npy', size: 5000, sha256: sha(changed), existingSize: labels.length, existingSha256: sha(labels) }]);
    expect([kept.uploaded, kept.kept]).toEqual([0, 1]);
    expect(sha(await objectBytes('host-test/data/training/labels.npy'))).toBe(sha(labels));

    const replaced = await makeUploadHost().upload(4, snap, source, {}, () => {}, async () => ({ overwrite: true, forAll: false }));
    expect(replaced.uploaded).toBe(1);
    expect(sha(await objectBytes('host-test/data/training/labels.npy'))).toBe(sha(changed));
  });

  it('cancel(jobId) rejects the upload with an AbortError', async () => {
    const host = makeUploadHost();
    const big = randomBytes(24 * 1024 * 1024);
    const source = { kind: 'files' as const, files: [{ path: 'data/cancel/big.bin', file: new File([big], 'big.bin') }] };
    let cancelled = false;
    const run = host.upload(5, snap, source, {}, (u) => {
      if (!cancelled && u[0]!.phase === 'uploading' && u[0]!.sentBytes > 0) {
        cancelled = true;
        host.cancel(5);
      }
    }, async () => ({ overwrite: false, forAll: true }));
    const error = await run.then(() => undefined, (e: unknown) => e);
    expect(cancelled).toBe(true);
    expect(isAbortError(error)).toBe(true);
  });

  it('a connection cut in the middle of a part is retried, counted per file, and the object verifies by download', async () => {
    const proxy = await startCuttingProxy(server.s3Endpoint, 2 * 1024 * 1024, 2);
    try {
      const viaProxy: ConnectionSnapshot = { settings: { ...snap.settings, endpoint: proxy.endpoint, prefix: 'host-retry' } };
      const data = randomBytes(9 * 1024 * 1024);
      const summary = await makeUploadHost().upload(7, viaProxy, { kind: 'files', files: [{ path: 'data/retry.bin', file: new File([data], 'retry.bin') }] }, { verifyByDownload: true }, () => {}, async () => ({ overwrite: false, forAll: true }));
      expect(proxy.cuts).toBe(2);
      expect(summary.files[0]).toMatchObject({ phase: 'done', verified: true, retries: 2 });
      expect(sha(await objectBytes('host-retry/data/retry.bin'))).toBe(sha(data));
    } finally {
      await proxy.stop();
    }
  });

  it('an unknown access key fails every file with an access-denied sentence naming the key', async () => {
    const keysSnap: ConnectionSnapshot = {
      settings: { ...snap.settings, kind: 'keys', identityPoolId: '', cognitoEndpoint: '' },
      keys: { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'nope' },
    };
    const summary = await makeUploadHost().upload(6, keysSnap, { kind: 'files', files: files().slice(1) }, {}, () => {}, async () => ({ overwrite: false, forAll: true }));
    expect(summary.failed).toBe(1);
    expect(summary.files[0]!.message).toMatch(/^Access denied to s3:\/\/workbench\/host-test\/data\/training\/labels\.npy/);
  });
});
