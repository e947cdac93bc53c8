import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encodeNpy } from '../../src/core/npy-write';
import { cognitoConnection, keysConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import { runBucketDoctor, type DoctorVerdict } from '../../src/s3/doctor';
import { startTestServer, type TestServer } from './local-server';

let server: TestServer;
let client: S3Client;
beforeAll(async () => {
  server = await startTestServer();
  client = makeS3Client(cognitoConnection(server.config));
});
afterAll(async () => {
  await server?.dispose();
});

const features = (rows: number, cols: number) => encodeNpy('<f4', [rows, cols], new Float32Array(rows * cols));
const labels = (rows: number, shape: number[] = [rows]) => encodeNpy('<f4', shape, new Float32Array(rows));

/** Writes a complete layout under `prefix`, with per-test overrides (null = leave out). */
async function layout(prefix: string, over: Record<string, Uint8Array | string | null> = {}): Promise<void> {
  const files: Record<string, Uint8Array | string | null> = {
    'data/training/features.npy': features(700, 5),
    'data/training/labels.npy': labels(700),
    'data/validation/features.npy': features(150, 5),
    'data/validation/labels.npy': labels(150, [150, 1]),
    'data/test/features.npy': features(150, 5),
    'data/test/labels.npy': labels(150),
    'data/features_metadata.json': JSON.stringify({ n_features: 5, feature_names: ['a', 'b', 'c', 'd', 'e'], feature_types: { geo: [0, 1] } }),
    ...over,
  };
  for (const [rel, body] of Object.entries(files)) {
    if (body === null) continue;
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: prefix + rel, Body: body }));
  }
}

const failed = (v: DoctorVerdict) => v.checks.filter((c) => !c.ok);

describe('bucket doctor against a real s3rver', () => {
  it('says ready for a good layout, with the seven components ticked', async () => {
    await layout('good/');
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'good' });
    expect(failed(v)).toEqual([]);
    expect(v.ready).toBe(true);
    expect(v.checks.filter((c) => c.id.startsWith('exists:')).map((c) => c.message.slice(0, 1))).toEqual(Array(7).fill('✓'));
    expect(v.checks.find((c) => c.id === 'array:data/validation/labels.npy')?.message).toBe('data/validation/labels.npy: <f4 (150, 1)');
  });

  it('flags a missing file with where to upload it', async () => {
    await layout('missing/', { 'data/test/labels.npy': null });
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'missing/' });
    expect(v.ready).toBe(false);
    expect(failed(v).map((c) => c.id)).toEqual(['exists:data/test/labels.npy']);
    expect(failed(v)[0]!.fix).toContain('s3://workbench/missing/data/test/labels.npy');
  });

  it('flags a features/labels row-count mismatch', async () => {
    await layout('rows/', { 'data/validation/labels.npy': labels(149) });
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'rows/' });
    expect(failed(v).map((c) => [c.id, c.message])).toEqual([['rows:validation', 'validation: features.npy has 150 rows but labels.npy has 149.']]);
  });

  it('flags a metadata n_features mismatch and a split of another width', async () => {
    await layout('meta/', {
      'data/test/features.npy': features(150, 4),
      'data/features_metadata.json': JSON.stringify({ n_features: 5 }),
    });
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'meta/' });
    expect(failed(v).map((c) => c.id)).toEqual(['features:width', 'metadata:arrays']);
    expect(failed(v)[1]!.message).toBe('data/features_metadata.json disagrees with the arrays: n_features is 5 but the features have 4 columns (test).');
  });

  it('flags 2-D labels with more than one column, bad metadata JSON and a non-npy file', async () => {
    await layout('shape/', {
      'data/training/labels.npy': encodeNpy('<f4', [700, 2], new Float32Array(1400)),
      'data/validation/features.npy': new TextEncoder().encode('not an npy file at all'),
      'data/features_metadata.json': '{"n_features": "five"',
    });
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'shape/' });
    const ids = failed(v).map((c) => c.id);
    expect(ids).toEqual(['array:data/training/labels.npy', 'array:data/validation/features.npy', 'metadata:schema']);
    expect(failed(v)[2]!.message).toMatch(/^data\/features_metadata\.json: not valid JSON/);
  });

  it('reads only the .npy headers (ranged GETs), not the data', async () => {
    const big = features(300_000, 5); // 6 MB of data
    await layout('ranged/', { 'data/training/features.npy': big, 'data/training/labels.npy': labels(300_000) });
    let received = 0;
    const counting = makeS3Client(cognitoConnection(server.config));
    counting.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const len = Number((out.response as { headers?: Record<string, string> }).headers?.['content-length'] ?? 0);
        received += len;
        return out;
      },
      { step: 'deserialize', name: 'countBytes' },
    );
    const v = await runBucketDoctor(counting, server.bucket, { prefix: 'ranged/' });
    expect(v.ready).toBe(true);
    expect(received).toBeLessThan(100_000);
  });

  it('an unknown access key stops at the set-up check with "access denied"', async () => {
    const bad = makeS3Client(keysConnection(server.config, { accessKeyId: 'AKIANOTKNOWN', secretAccessKey: 'x' }));
    const v = await runBucketDoctor(bad, server.bucket, { prefix: 'good/' });
    expect(v.ready).toBe(false);
    expect(v.checks).toHaveLength(1);
    expect(v.checks[0]!.message).toMatch(/^Access denied .*access key id is unknown/);
  });

  it('missing s3:ListBucket: says so with the policy fix, and still checks the files with HEAD', async () => {
    await layout('nolist/');
    const noList = makeS3Client(cognitoConnection(server.config));
    // What AWS answers when the role lacks s3:ListBucket on the prefix.
    noList.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListObjectsV2Command') {
          throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'denyList' },
    );
    const v = await runBucketDoctor(noList, server.bucket, { prefix: 'nolist/' });
    expect(failed(v).map((c) => c.id)).toEqual(['setup:list']);
    expect(failed(v)[0]!.message).toMatch(/lacks s3:ListBucket/);
    expect(failed(v)[0]!.fix).toBe('Allow s3:ListBucket on arn:aws:s3:::workbench with the condition s3:prefix like "nolist/data/*" and "nolist/experiments/*" (deploy/iam-policy.json).');
    expect(v.checks.filter((c) => c.id.startsWith('exists:') && c.ok)).toHaveLength(7);
    expect(v.checks.find((c) => c.id === 'rows:training')?.ok).toBe(true);
  });

  it('expired credentials stop at the set-up check with the fix', async () => {
    const expired = makeS3Client(cognitoConnection(server.config));
    expired.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('The provided token has expired.'), { name: 'ExpiredToken', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'initialize', name: 'expire' },
    );
    const v = await runBucketDoctor(expired, server.bucket, { prefix: 'good/' });
    expect(v.checks).toHaveLength(1);
    expect(v.checks[0]!.message).toMatch(/have expired/);
    expect(v.checks[0]!.fix).toMatch(/^Reconnect to get fresh credentials/);
  });

  it('a missing bucket says which bucket and how to fix it', async () => {
    const v = await runBucketDoctor(client, 'no-such-bucket-here');
    expect(v.checks[0]!.message).toMatch(/bucket no-such-bucket-here does not exist/);
    expect(v.checks[0]!.fix).toMatch(/Create the bucket/);
  });
});

describe('bucket doctor: metadata schema', () => {
  it('flags a wrongly typed key and a missing n_features', async () => {
    await layout('schema1/', { 'data/features_metadata.json': JSON.stringify({ n_features: 5, feature_names: 'a,b' }) });
    const v1 = await runBucketDoctor(client, server.bucket, { prefix: 'schema1/' });
    expect(failed(v1).map((c) => [c.id, c.message])).toEqual([['metadata:schema', 'data/features_metadata.json: "feature_names" must be a list of strings.']]);
    await layout('schema2/', { 'data/features_metadata.json': JSON.stringify({ feature_names: ['a', 'b', 'c', 'd', 'e'] }) });
    const v2 = await runBucketDoctor(client, server.bucket, { prefix: 'schema2/' });
    expect(failed(v2).map((c) => c.id)).toEqual(['metadata:schema']);
    expect(failed(v2)[0]!.message).toMatch(/has no "n_features"/);
  });
});
