import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { cognitoConnection, connectionFor, keysConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import { runBucketDoctor } from '../../src/s3/doctor';
import { startTestServer, type TestServer } from './local-server';

describe('connections', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Credentials that expire in 2 minutes: inside the SDK's 5-minute refresh window, so every use refreshes.
    server = await startTestServer({ credentialSeconds: 120 });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('the S3 client gets the Cognito provider itself, so expiring credentials are refreshed', async () => {
    const conn = cognitoConnection(server.config);
    expect(conn.kind).toBe('local');
    expect(conn.forcePathStyle).toBe(true);
    const client = makeS3Client(conn);
    const before = server.cognitoCalls.GetCredentialsForIdentity ?? 0;
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'c/1', Body: 'a' }));
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'c/2', Body: 'b' }));
    expect((server.cognitoCalls.GetCredentialsForIdentity ?? 0) - before).toBeGreaterThanOrEqual(2);
    expect(server.cognitoCalls.GetId ?? 0).toBeGreaterThanOrEqual(1);
  });

  it('an unknown identity pool is a clear failure, typed-in keys are trimmed and required', async () => {
    const wrongPool = cognitoConnection({ ...server.config, identityPoolId: 'us-east-1:11111111-1111-4111-8111-111111111111' });
    await expect(makeS3Client(wrongPool).send(new HeadObjectCommand({ Bucket: server.bucket, Key: 'c/1' }))).rejects.toThrow(/IdentityPool .* not found/);
    expect(() => keysConnection(server.config, { accessKeyId: ' ', secretAccessKey: 'x' })).toThrow(/need both an access key id and a secret/);
    const keys = connectionFor(server.config, { accessKeyId: ' S3RVER ', secretAccessKey: 'S3RVER\n' });
    expect(keys.kind).toBe('keys');
    expect(await keys.credentials()).toEqual({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    expect(() => cognitoConnection({ region: 'us-east-1', bucket: 'b-1' })).toThrow(/has no identityPoolId/);
  });

  it('doctor (browser mode): a CORS rule that hides ETag is diagnosed with the fix', async () => {
    const client = makeS3Client(cognitoConnection(server.config));
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: 'cors/data/training/features.npy', Body: 'x' }));
    // What a browser sees when ExposeHeaders lacks ETag: the header is simply not readable.
    client.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const headers = (out.response as { headers: Record<string, string> }).headers;
        delete headers.etag;
        return out;
      },
      { step: 'deserialize', name: 'hideEtagLikeCors' },
    );
    const v = await runBucketDoctor(client, server.bucket, { prefix: 'cors/', browser: true });
    const cors = v.checks.find((c) => c.id === 'setup:cors-etag')!;
    expect(cors.ok).toBe(false);
    expect(cors.message).toMatch(/without a readable ETag header/);
    expect(cors.fix).toMatch(/deploy\/cors\.json/);
  });
});
