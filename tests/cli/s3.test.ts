/** `prospect upload / check / ls / serve` end to end: the real bin script against a server started here. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { encodeNpy } from '../../src/core/npy-write';
import { startTestServer, type TestServer } from '../s3/local-server';
import { cognitoConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import { getObjectBytes } from '../../src/s3/npy-remote';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function prospect(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'prospect.mjs'), ...args],
      { cwd: ROOT, env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', ...env } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

let server: TestServer;
let tmp: string;
const files: Record<string, Uint8Array> = {};

beforeAll(async () => {
  server = await startTestServer();
  tmp = mkdtempSync(join(tmpdir(), 'prospect-cli-s3-'));
  const put = (rel: string, bytes: Uint8Array) => {
    mkdirSync(join(tmp, 'out', rel, '..'), { recursive: true });
    writeFileSync(join(tmp, 'out', rel), bytes);
    files[rel] = bytes;
  };
  const rows = { training: 70, validation: 15, test: 15 };
  for (const [split, n] of Object.entries(rows)) {
    put(`data/${split}/features.npy`, encodeNpy('<f4', [n, 3], new Float32Array(n * 3).map((_, i) => i)));
    put(`data/${split}/labels.npy`, encodeNpy('<f4', [n], new Float32Array(n)));
  }
  put('data/features_metadata.json', new TextEncoder().encode(JSON.stringify({ n_features: 3 })));
});
afterAll(async () => {
  await server?.dispose();
  rmSync(tmp, { recursive: true, force: true });
});

const endpointArgs = () => ['--bucket', server.bucket, '--endpoint', server.s3Endpoint, '--region', server.region];
const cognitoArgs = () => [...endpointArgs(), '--identity-pool', server.identityPoolId, '--cognito-endpoint', server.cognitoEndpoint];

describe('prospect upload / check / ls', () => {
  it('check says not ready (exit 1) before the upload', async () => {
    const r = await prospect(['check', ...cognitoArgs(), '--prefix', 'cli']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ data/training/features.npy is missing');
    expect(r.stdout).toMatch(/Not ready for training: 7 problems/);
  });

  it('upload through the Cognito endpoint sends DIR/data/** under PREFIX/data/ intact (exit 0)', async () => {
    const r = await prospect(['upload', join(tmp, 'out'), ...cognitoArgs(), '--prefix', 'cli']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/✓ uploaded/g)).toHaveLength(7);
    const client = makeS3Client(cognitoConnection(server.config));
    for (const [rel, bytes] of Object.entries(files)) {
      const got = await getObjectBytes(client, server.bucket, `cli/${rel}`);
      expect(createHash('sha256').update(got).digest('hex'), rel).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('a second upload with AWS_* keys skips everything as identical', async () => {
    const r = await prospect(['upload', join(tmp, 'out'), ...endpointArgs(), '--prefix', 'cli', '--json'], {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
    });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { files: { status: string }[]; sentBytes: number };
    expect(report.files.map((f) => f.status)).toEqual(Array(7).fill('skipped-identical'));
    expect(report.sentBytes).toBe(0);
  });

  it('check --json says ready (exit 0) after the upload', async () => {
    const r = await prospect(['check', ...cognitoArgs(), '--prefix', 'cli', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ready: true, bucket: server.bucket, prefix: 'cli/' });
  });

  it('ls lists a tree level with folders, and --recursive every object', async () => {
    const level = await prospect(['ls', ...cognitoArgs(), '--prefix', 'cli/data/']);
    expect(level.code).toBe(0);
    expect(level.stdout).toMatch(/PRE\s+cli\/data\/training\//);
    expect(level.stdout).toMatch(/\d+\s+\S+Z\s+cli\/data\/features_metadata\.json/);
    const all = await prospect(['ls', ...cognitoArgs(), '--prefix', 'cli', '--recursive', '--json']);
    expect((JSON.parse(all.stdout) as unknown[]).length).toBe(7);
  });

  it('unknown keys: exit 1 and one "Access denied" line; no credentials: a clear usage error', async () => {
    const r = await prospect(['check', ...endpointArgs()], { AWS_ACCESS_KEY_ID: 'AKIAWRONG', AWS_SECRET_ACCESS_KEY: 'x' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ Access denied to s3:\/\/workbench\/data\/ \(list\): the access key id is unknown/);
    const none = await prospect(['ls', ...endpointArgs()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^prospect ls: no credentials: pass --identity-pool ID, or set AWS_ACCESS_KEY_ID/);
  });
});

describe('prospect serve', () => {
  it('starts the local S3 + Cognito endpoints, prints them, persists objects, and stops on SIGTERM', async () => {
    const dataDir = join(tmp, 'served');
    const dist = join(tmp, 'dist');
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>workbench</title>');
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'prospect.mjs'), 'serve', '--port', '0', '--s3-port', '0', '--cognito-port', '0', '--data-dir', dataDir, '--dist', dist], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const started = Date.now();
    while (!/config\.json\s+(\{.*\})/.test(out) && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 100));
    const config = JSON.parse(out.match(/config\.json\s+(\{.*\})/)![1]!);
    const pageUrl = out.match(/page\s+(http:\/\/\S+)/)![1]!;
    expect(await (await fetch(new URL('config.json', pageUrl))).json()).toEqual(config);
    const index = await fetch(pageUrl);
    expect(await index.text()).toContain('<title>workbench</title>');
    expect(index.headers.get('content-security-policy')).toContain(`connect-src 'self' ${config.endpoint} ${config.cognitoEndpoint}`);
    // The bucket's CORS rule allows the page's exact origin.
    const preflight = await fetch(`${config.endpoint}/${config.bucket}/data/x`, {
      method: 'OPTIONS',
      headers: { origin: new URL(pageUrl).origin, 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(200);
    const up = await prospect(['upload', join(tmp, 'out'), '--bucket', config.bucket, '--endpoint', config.endpoint, '--identity-pool', config.identityPoolId, '--cognito-endpoint', config.cognitoEndpoint]);
    expect(up.code).toBe(0);
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The objects survive a restart of the server on the same folder.
    const again = await startTestServer({ dataDir });
    try {
      const got = await getObjectBytes(makeS3Client(cognitoConnection(again.config)), again.bucket, 'data/features_metadata.json');
      expect(new TextDecoder().decode(got)).toBe('{"n_features":3}');
    } finally {
      await again.dispose();
    }
  });
});
