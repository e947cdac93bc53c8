import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { encodeNpy } from '../../src/core/npy-write';
import { cognitoConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import { downloadObject, listAllObjects, listLevel, listLevelAll, previewObject } from '../../src/s3/browse';
import { startTestServer, type TestServer } from './local-server';

let server: TestServer;
let client: S3Client;
const MANY = 1003;

beforeAll(async () => {
  server = await startTestServer();
  client = makeS3Client(cognitoConnection(server.config));
  const put = (Key: string, Body: string | Uint8Array) => client.send(new PutObjectCommand({ Bucket: server.bucket, Key, Body }));
  const keys = Array.from({ length: MANY }, (_, i) => `many/obj-${String(i).padStart(5, '0')}.txt`);
  for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => put(k, 'x')));
  await put('tree/data/training/features.npy', encodeNpy('<f8', [4, 2], new Float64Array(8)));
  await put('tree/data/features_metadata.json', JSON.stringify({ n_features: 2 }));
  await put('tree/notes.bin', new Uint8Array([1, 2, 3]));
  await put('tree/experiments/a/config_1.json', '{}');
}, 120_000);
afterAll(async () => {
  await server?.dispose();
});

describe('bucket browser data against a real s3rver', () => {
  it('lists a tree level: folders from CommonPrefixes, objects with sizes and dates', async () => {
    const level = await listLevel(client, server.bucket, 'tree/');
    expect(level.folders).toEqual(['tree/data/', 'tree/experiments/']);
    expect(level.objects.map((o) => [o.name, o.size])).toEqual([['notes.bin', 3]]);
    expect(level.objects[0]!.lastModified).toBeInstanceOf(Date);
    expect(level.nextToken).toBeUndefined();
  });

  it('pages past 1,000 keys with continuation tokens', async () => {
    const first = await listLevel(client, server.bucket, 'many/');
    expect(first.objects).toHaveLength(1000);
    expect(first.nextToken).toBeTruthy();
    const second = await listLevel(client, server.bucket, 'many/', { continuationToken: first.nextToken });
    expect(second.objects.map((o) => o.name)).toEqual(['obj-01000.txt', 'obj-01001.txt', 'obj-01002.txt']);
    expect((await listLevelAll(client, server.bucket, 'many/')).objects).toHaveLength(MANY);
    expect(await listAllObjects(client, server.bucket, 'many/')).toHaveLength(MANY);
  });

  it('previews a .npy header, a JSON object and a binary file; downloads an object', async () => {
    const npy = await previewObject(client, server.bucket, { key: 'tree/data/training/features.npy', size: 128 + 64 });
    expect(npy).toMatchObject({ kind: 'npy', info: { dtype: '<f8', shape: [4, 2] } });
    expect(await previewObject(client, server.bucket, { key: 'tree/data/features_metadata.json', size: 16 })).toMatchObject({ kind: 'json', value: { n_features: 2 } });
    expect(await previewObject(client, server.bucket, { key: 'tree/notes.bin', size: 3 })).toEqual({ kind: 'binary', size: 3 });
    const blob = await downloadObject(client, server.bucket, 'tree/notes.bin');
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3]);
  });
});
