import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bytesSource } from '../../src/core/source';
import { cognitoConnection, keysConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import { uploadFiles, MIN_PART_BYTES, type UploadItem, type UploadProgress } from '../../src/s3/upload';
import { startTestServer, type TestServer } from './local-server';
import { startCuttingProxy } from './tcp-proxy';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function item(key: string, bytes: Uint8Array): UploadItem {
  return { key, size: bytes.byteLength, open: () => bytesSource(bytes, key) };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.dispose();
});

async function readBack(key: string): Promise<Uint8Array> {
  const client = makeS3Client(cognitoConnection(server.config));
  const res = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
  return await res.Body!.transformToByteArray();
}

describe('uploadFiles against a real s3rver through the loopback Cognito endpoint', () => {
  const big = randomBytes(MIN_PART_BYTES * 2 + 1234); // three parts of 5 MiB
  const small = randomBytes(1000);
  const empty = new Uint8Array(0);
  const blob = randomBytes(70_000);

  it('uploads multipart, single-part, empty and Blob files intact, with progress and the SHA-256 recorded', async () => {
    const before = { ...server.cognitoCalls };
    const client = makeS3Client(cognitoConnection(server.config));
    const seen: UploadProgress[] = [];
    const items = [
      item('run1/data/training/features.npy', big),
      item('run1/data/training/labels.npy', small),
      item('run1/data/empty.bin', empty),
      { key: 'run1/data/features_metadata.json', size: blob.length, open: () => new Blob([blob]) },
    ];
    const report = await uploadFiles(client, server.bucket, items, { partSize: MIN_PART_BYTES, onProgress: (p) => seen.push(p) });
    expect(report.files.map((f) => [f.key, f.status, f.verified])).toEqual(items.map((it) => [it.key, 'uploaded', true]));
    expect(report.ok).toBe(true);
    for (const [it, bytes] of [[items[0]!, big], [items[1]!, small], [items[2]!, empty], [items[3]!, blob]] as const) {
      const got = await readBack(it.key);
      expect(got.byteLength, it.key).toBe(bytes.byteLength);
      expect(sha(got), it.key).toBe(sha(bytes));
    }
    expect(report.files[0]!.sha256).toBe(sha(big));
    expect(server.cognitoCalls.GetCredentialsForIdentity ?? 0).toBeGreaterThan(before.GetCredentialsForIdentity ?? 0);
    const last = seen.at(-1)!;
    expect(last.sentBytes).toBe(big.length + small.length + blob.length);
    expect(last.files.every((f) => f.state === 'uploaded')).toBe(true);
    expect(seen.some((p) => p.files[0]!.state === 'uploading' && p.files[0]!.done > 0 && p.files[0]!.done < big.length)).toBe(true);
  });

  it('a re-run skips identical objects and sends nothing', async () => {
    const client = makeS3Client(cognitoConnection(server.config));
    const report = await uploadFiles(client, server.bucket, [item('run1/data/training/features.npy', big), item('run1/data/training/labels.npy', small)]);
    expect(report.files.map((f) => f.status)).toEqual(['skipped-identical', 'skipped-identical']);
    expect(report.sentBytes).toBe(0);
  });

  it('a different existing object is not overwritten without confirmation, and is with it', async () => {
    const client = makeS3Client(cognitoConnection(server.config));
    const other = randomBytes(1000);
    const report = await uploadFiles(client, server.bucket, [item('run1/data/training/labels.npy', other)]);
    expect(report.files[0]!.status).toBe('skipped-conflict');
    expect(report.files[0]!.error?.message).toMatch(/already exists with different content/);
    expect(report.ok).toBe(false);
    expect(sha(await readBack('run1/data/training/labels.npy'))).toBe(sha(small));

    const asked: string[] = [];
    const again = await uploadFiles(client, server.bucket, [item('run1/data/training/labels.npy', other)], {
      confirmOverwrite: (key, existing) => {
        asked.push(`${key}:${existing.sha256}`);
        return true;
      },
    });
    expect(asked).toEqual([`run1/data/training/labels.npy:${sha(small)}`]);
    expect(again.files[0]!.status).toBe('uploaded');
    expect(sha(await readBack('run1/data/training/labels.npy'))).toBe(sha(other));
  });

  it('an object written without our metadata counts as different (never silently overwritten)', async () => {
    const client = makeS3Client(cognitoConnection(server.config));
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'run1/data/plain.bin', Body: small }));
    const report = await uploadFiles(client, server.bucket, [item('run1/data/plain.bin', small)]);
    expect(report.files[0]!.status).toBe('skipped-conflict');
  });

  it('completes with intact objects when the connection is cut in the middle of a part (retry)', async () => {
    const proxy = await startCuttingProxy(server.s3Endpoint, 2 * 1024 * 1024, 2);
    try {
      const client = makeS3Client(cognitoConnection({ ...server.config, endpoint: proxy.endpoint }));
      const data = randomBytes(MIN_PART_BYTES * 2 + 77);
      const report = await uploadFiles(client, server.bucket, [item('run2/data/training/features.npy', data)], {
        partSize: MIN_PART_BYTES,
        verifyByDownload: true,
      });
      expect(proxy.cuts).toBe(2);
      expect(report.files[0]).toMatchObject({ status: 'uploaded', verified: true });
      expect(sha(await readBack('run2/data/training/features.npy'))).toBe(sha(data));
    } finally {
      await proxy.stop();
    }
  });

  it('an unknown access key gives a clear "access denied" message', async () => {
    const client = makeS3Client(keysConnection(server.config, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'nope' }));
    const report = await uploadFiles(client, server.bucket, [item('run3/data/x.bin', small)]);
    expect(report.files[0]!.status).toBe('failed');
    expect(report.files[0]!.error?.code).toBe('S3_ACCESS_DENIED');
    expect(report.files[0]!.error?.message).toMatch(/^Access denied to s3:\/\/workbench\/run3\/data\/x\.bin \(check\): the access key id is unknown/);
  });

  it('cancels with an AbortError', async () => {
    const client = makeS3Client(cognitoConnection(server.config));
    const ac = new AbortController();
    const data = randomBytes(MIN_PART_BYTES * 3);
    const p = uploadFiles(client, server.bucket, [item('run4/data/big.bin', data)], {
      partSize: MIN_PART_BYTES,
      partsInFlight: 1,
      onProgress: (pr) => {
        if (pr.sentBytes > 0) ac.abort();
      },
      signal: ac.signal,
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
