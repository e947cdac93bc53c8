import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectOrigins,
  contentSecurityPolicy,
  isAwsEndpoint,
  loadDeploymentConfig,
  normalizePrefix,
  parseDeploymentConfig,
  validateDeploymentConfig,
} from '../../src/s3/config';
import { s3Error } from '../../src/s3/errors';
import { serveStatic, type StaticServer } from '../../src/server/static';

const AWS = { region: 'eu-west-1', bucket: 'my-data', identityPoolId: 'eu-west-1:1234abcd-1234-4234-8234-1234567890ab', prefix: 'team-a' };

describe('deployment config', () => {
  it('accepts a valid config and normalizes the prefix', () => {
    expect(validateDeploymentConfig(AWS)).toEqual({ ...AWS, prefix: 'team-a/' });
    expect(normalizePrefix('/a/b//')).toBe('a/b/');
    expect(normalizePrefix('')).toBe('');
  });

  it.each([
    [{ ...AWS, region: 'Ireland' }, /"region" must be an AWS region/],
    [{ ...AWS, bucket: 'My_Bucket' }, /"bucket" must be an S3 bucket name/],
    [{ ...AWS, identityPoolId: 'abc' }, /"identityPoolId" must look like/],
    [{ ...AWS, identityPoolId: 'us-east-1:1234abcd-1234-4234-8234-1234567890ab' }, /is in region us-east-1 but "region" is eu-west-1/],
    [{ ...AWS, endpoint: 'ftp://x' }, /"endpoint" must be an http\(s\) URL/],
    [{ ...AWS, secretAccessKey: 'x' }, /unknown field "secretAccessKey"/],
    [{ region: 'eu-west-1', bucket: 'b-1', cognitoEndpoint: 'http://127.0.0.1:1' }, /"identityPoolId" is missing/],
  ])('refuses %j with a clear message', (raw, message) => {
    expect(() => validateDeploymentConfig(raw, 'config.json')).toThrow(message);
  });

  it('reports invalid JSON and treats a 404 as "no config"', async () => {
    expect(() => parseDeploymentConfig('{region:', 'config.json')).toThrow(/config\.json: is not valid JSON/);
    const notFound = (async () => new Response('', { status: 404 })) as typeof fetch;
    expect(await loadDeploymentConfig('http://x/app/', notFound)).toBeNull();
    const found = (async (u: string | URL | Request) => new Response(String(u) === 'http://x/app/config.json' ? JSON.stringify(AWS) : '', { status: 200 })) as typeof fetch;
    expect(await loadDeploymentConfig('http://x/app/index.html', found)).toMatchObject({ bucket: 'my-data' });
  });

  it('knows AWS endpoints and builds a CSP whose connect-src is only self and the endpoints', () => {
    expect(isAwsEndpoint(undefined)).toBe(true);
    expect(isAwsEndpoint('https://s3.eu-west-1.amazonaws.com')).toBe(true);
    expect(isAwsEndpoint('http://127.0.0.1:4568')).toBe(false);
    expect(connectOrigins(validateDeploymentConfig(AWS))).toEqual([
      'https://my-data.s3.eu-west-1.amazonaws.com',
      'https://s3.eu-west-1.amazonaws.com',
      'https://cognito-identity.eu-west-1.amazonaws.com',
    ]);
    const csp = contentSecurityPolicy({ region: 'us-east-1', bucket: 'workbench', endpoint: 'http://127.0.0.1:4568/', identityPoolId: 'us-east-1:00000000-0000-4000-8000-00000000c0de', cognitoEndpoint: 'http://127.0.0.1:4569' });
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:4568 http://127.0.0.1:4569;");
    expect(csp).toContain("default-src 'self'");
    expect(contentSecurityPolicy(null)).toContain("connect-src 'self';");
  });
});

describe('S3 error mapping', () => {
  const ctx = { bucket: 'b', key: 'p/data/x.npy', action: 'upload' };
  it.each([
    [{ name: 'InvalidAccessKeyId', message: 'x' }, 'S3_ACCESS_DENIED', /^Access denied to s3:\/\/b\/p\/data\/x\.npy \(upload\): the access key id is unknown/],
    [{ name: 'SignatureDoesNotMatch', message: 'x' }, 'S3_ACCESS_DENIED', /re-enter the secret access key/],
    [{ name: 'ExpiredToken', message: 'x' }, 'S3_EXPIRED', /have expired/],
    [{ name: 'NoSuchBucket', message: 'x' }, 'S3_NO_SUCH_BUCKET', /The bucket b does not exist/],
    [{ name: 'AccessDenied', message: 'x' }, 'S3_ACCESS_DENIED', /IAM policy does not allow/],
    [new Error('Upload: missing ETag in response'), 'S3_CORS', /must expose ETag/],
    [new TypeError('Failed to fetch'), 'S3_NETWORK', /could not be reached/],
  ])('%j → %s', (err, code, message) => {
    const e = s3Error(err, ctx) as unknown as { code: string; message: string };
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
  it('AccessDenied on a listing names s3:ListBucket', () => {
    expect(s3Error({ name: 'AccessDenied', message: 'x' }, { bucket: 'b', key: 'data/', action: 'list' }).message).toMatch(/lacks s3:ListBucket/);
  });
  it('in a browser a network failure points at CORS', () => {
    expect(s3Error(new TypeError('Failed to fetch'), { ...ctx, browser: true }).message).toMatch(/CORS rule does not allow this page's origin/);
  });
});

describe('serveStatic', () => {
  let dir: string;
  let server: StaticServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'static-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>w</title>');
    writeFileSync(join(dir, 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
    server = await serveStatic(dir, 0, { region: 'us-east-1', bucket: 'workbench', endpoint: 'http://127.0.0.1:4568' });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html with the CSP, wasm with its MIME type, the generated config.json, and no traversal', async () => {
    const index = await fetch(server.url);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("connect-src 'self' http://127.0.0.1:4568");
    expect((await fetch(new URL('k.wasm', server.url))).headers.get('content-type')).toBe('application/wasm');
    expect(await (await fetch(new URL('config.json', server.url))).json()).toEqual({ region: 'us-east-1', bucket: 'workbench', endpoint: 'http://127.0.0.1:4568' });
    expect((await fetch(new URL('missing.js', server.url))).status).toBe(404);
    expect((await fetch(`${server.url}..%2f..%2fetc%2fpasswd`)).status).not.toBe(200);
  });
});
