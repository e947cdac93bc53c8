// The S3 screen end to end in Chromium: the built page (served with config.json + CSP) talks to a real
// s3rver through the loopback Cognito endpoint, both started here on free ports with a temp data dir.
// Objects are put and read back from Node with the AWS SDK (same core client as the CLI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from 'playwright-core';
import { chromiumAvailable, DIST, dropFiles, makeTempDir, ROOT, startE2E, type E2E, type E2EPage } from './harness';
import { startLocalServices, type LocalServices } from '../../src/server/local-services';
import { localDeploymentConfig } from '../../src/server/local-config';
import { cognitoConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import type { DeploymentConfig } from '../../src/s3/config';
import { encodeNpy } from '../../src/core/npy-write';
import { startThrottlingProxy } from '../s3/tcp-proxy';
import { makeRandom } from './reference';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Deterministic pseudo-random floats in [-2, 2), so a failure reproduces. */
function floats(n: number, seed: number): Float32Array {
  const rnd = makeRandom(seed);
  return Float32Array.from({ length: n }, () => rnd() * 4 - 2);
}

const ROWS = 400;
const COLS = 5;
const featuresNpy = encodeNpy('<f4', [ROWS, COLS], floats(ROWS * COLS, 7));
/** About one row in five positive, so a stratified split has positives in every split. */
const labelsNpy = encodeNpy('<f4', [ROWS], Float32Array.from({ length: ROWS }, (_, i) => (i % 5 === 0 ? 1 : 0)));

/**
 * How long a step may take in the page. Generous: CI shares two cores with other suites, and a step
 * that is merely slow under load must not fail (a broken step never finishes at all).
 */
const UI_WAIT_MS = 90_000;

const skipReason = chromiumAvailable() ? '' : 'Chromium is not installed at /usr/bin/chromium';
if (skipReason) console.warn(`tests/e2e/s3.test.ts skipped: ${skipReason}.`);

describe.skipIf(!!skipReason)('S3 screen in Chromium against s3rver through the loopback Cognito endpoint', { timeout: 4 * UI_WAIT_MS }, () => {
  let e2e: E2E;
  let services: LocalServices;
  let config: DeploymentConfig | null = null;
  let client: S3Client;
  let tmp: { dir: string; cleanup(): void };

  beforeAll(async () => {
    tmp = makeTempDir('s3');
    // The page's origin must be known for the bucket CORS rule, the S3 ports for config.json: the
    // static server asks for the config on each request, so it can start first.
    e2e = await startE2E(() => config);
    services = await startLocalServices({ dataDir: join(tmp.dir, 's3data'), corsOrigins: [e2e.origin] });
    config = localDeploymentConfig(services);
    client = makeS3Client(cognitoConnection(config));
  });

  afterAll(async () => {
    await e2e?.stop();
    await services?.stop();
    tmp?.cleanup();
  });

  /** A fresh page (own storage and OPFS) whose every wait allows UI_WAIT_MS. */
  async function newPage(): Promise<E2EPage> {
    const t = await e2e.newPage();
    t.page.setDefaultTimeout(UI_WAIT_MS);
    return t;
  }

  /** Opens the S3 screen with config.json's defaults, optionally under a key prefix. */
  async function openS3(t: E2EPage, prefix = ''): Promise<Page> {
    const { page } = t;
    await page.goto(`${e2e.url}#s3`);
    await page.getByRole('heading', { name: 'Connection' }).waitFor();
    if (prefix) {
      await page.getByLabel('Key prefix (optional)').fill(prefix);
      await page.getByLabel('Key prefix (optional)').press('Tab');
    }
    return page;
  }

  async function runDoctor(page: Page): Promise<string> {
    await page.getByRole('tab', { name: 'Bucket doctor' }).click();
    await page.getByRole('button', { name: /Check (the bucket|again)/ }).click();
    const verdict = page.getByTestId('doctor-verdict');
    await verdict.waitFor({ timeout: UI_WAIT_MS });
    return verdict.innerText();
  }

  async function putObject(key: string, body: Uint8Array | string): Promise<void> {
    await client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: typeof body === 'string' ? body : body }));
  }

  async function objectBytes(key: string): Promise<Uint8Array> {
    const res = await client.send(new GetObjectCommand({ Bucket: services.bucket, Key: key }));
    return res.Body!.transformToByteArray();
  }

  it('prepares two dropped .npy files, uploads the splits from OPFS, the bucket holds the same bytes (= OPFS = `prospect prepare`), the doctor says ready, a re-run sends nothing, and only allowed origins are contacted', async () => {
    const t = await newPage();
    const { page } = t;
    await page.goto(`${e2e.url}#files`);
    await dropFiles(page, [
      { name: 'features.npy', bytes: featuresNpy },
      { name: 'labels.npy', bytes: labelsNpy },
    ]);
    await page.getByRole('tab', { name: 'Prepare' }).click();
    const run = page.getByTestId('run-prepare');
    await expect.poll(() => run.isEnabled(), { timeout: UI_WAIT_MS }).toBe(true);
    await run.click();
    await page.getByTestId('prepare-results').waitFor({ timeout: UI_WAIT_MS });

    await page.getByRole('tab', { name: 'S3' }).click();
    const listed = page.getByTestId('upload-prepared-files');
    await listed.waitFor({ timeout: UI_WAIT_MS });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const result = page.getByTestId('upload-result');
    await result.getByText(/uploaded and verified|failed/).waitFor({ timeout: UI_WAIT_MS });
    const summary = await result.innerText();
    expect(summary).toMatch(/✓ \d+ uploaded and verified, 0 identical skipped, 0 kept as they were, 0 failed/);

    // What the page prepared, hashed in the page straight from OPFS.
    const opfs = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const prepared = await root.getDirectoryHandle('prepared');
      const manifest = JSON.parse(await (await (await prepared.getFileHandle('current.json')).getFile()).text()) as { root: string; files: { path: string }[] };
      const out: Record<string, string> = {};
      for (const f of manifest.files) {
        let dir = root;
        const parts = `${manifest.root}/${f.path}`.split('/');
        const name = parts.pop()!;
        for (const p of parts) dir = await dir.getDirectoryHandle(p);
        const bytes = await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer();
        out[f.path] = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
      }
      return out;
    });
    const paths = Object.keys(opfs).sort();
    expect(paths).toEqual(expect.arrayContaining([
      'data/features_metadata.json',
      'data/test/features.npy',
      'data/test/labels.npy',
      'data/training/features.npy',
      'data/training/labels.npy',
      'data/validation/features.npy',
      'data/validation/labels.npy',
    ]));
    const listing = await client.send(new ListObjectsV2Command({ Bucket: services.bucket, Prefix: 'data/' }));
    expect((listing.Contents ?? []).map((o) => o.Key).sort()).toEqual(paths);
    for (const path of paths) {
      const bytes = await objectBytes(path);
      expect(sha256(bytes), path).toBe(opfs[path]);
      const head = await client.send(new HeadObjectCommand({ Bucket: services.bucket, Key: path }));
      expect(head.Metadata?.sha256, path).toBe(opfs[path]);
    }
    // The CLI prepares the same inputs with the same defaults (same seed) into the same .npy bytes.
    const cliDir = join(tmp.dir, 'cli');
    writeFileSync(join(tmp.dir, 'features.npy'), featuresNpy);
    writeFileSync(join(tmp.dir, 'labels.npy'), labelsNpy);
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin/prospect.mjs'), 'prepare', '--features', join(tmp.dir, 'features.npy'), '--labels', join(tmp.dir, 'labels.npy'), '--out', cliDir], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    for (const path of paths.filter((p) => p.endsWith('.npy'))) {
      expect(sha256(readFileSync(join(cliDir, path))), `CLI ${path}`).toBe(opfs[path]);
    }

    // The splits partition the dropped rows.
    const rows = (b: Uint8Array) => {
      const text = new TextDecoder().decode(b.subarray(10, 10 + (b[8]! | (b[9]! << 8))));
      return Number(/'shape': \((\d+)/.exec(text)![1]);
    };
    const splitRows = await Promise.all(['training', 'validation', 'test'].map(async (s) => rows(await objectBytes(`data/${s}/labels.npy`))));
    expect(splitRows.reduce((a, b) => a + b, 0)).toBe(ROWS);

    expect(await runDoctor(page)).toBe('✓ Ready for training');
    const checklist = page.getByTestId('doctor-checklist').locator('li');
    await expect.poll(() => checklist.count(), { timeout: UI_WAIT_MS }).toBe(7);
    expect(await page.getByTestId('doctor-checklist').locator('li[data-ok="false"]').count()).toBe(0);

    // A re-run (say after an interruption) sends nothing that is already there.
    await page.getByRole('tab', { name: 'Upload' }).click();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await result.getByText(/identical skipped/).waitFor({ timeout: UI_WAIT_MS });
    expect(await result.innerText()).toContain(`✓ 0 uploaded and verified, ${paths.length} identical skipped`);

    // Only the page itself and the configured endpoints (S3 and the loopback Cognito) were contacted.
    const allowed = [e2e.origin, new URL(services.s3Endpoint).origin, new URL(services.cognitoEndpoint).origin].sort();
    expect(t.origins()).toEqual(allowed);
    expect(services.cognitoCalls.GetCredentialsForIdentity ?? 0).toBeGreaterThan(0);
    expect(t.consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('the doctor flags a missing file, a row-count mismatch and a metadata mismatch, each with a fix', async () => {
    const base = 'doctor-flags/data';
    const features = (rows: number) => encodeNpy('<f4', [rows, COLS], floats(rows * COLS, rows));
    const labels = (rows: number) => encodeNpy('<f4', [rows], new Float32Array(rows));
    await putObject(`${base}/training/features.npy`, features(50));
    await putObject(`${base}/training/labels.npy`, labels(50));
    await putObject(`${base}/validation/features.npy`, features(20));
    await putObject(`${base}/validation/labels.npy`, labels(19)); // one row short
    await putObject(`${base}/test/features.npy`, features(20));
    // data/test/labels.npy deliberately missing
    await putObject(`${base}/features_metadata.json`, JSON.stringify({ n_features: 7, feature_names: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }));

    const t = await newPage();
    const page = await openS3(t, 'doctor-flags');
    expect(await runDoctor(page)).toBe('✗ Not ready for training: 3 problems');
    const missing = page.getByTestId('doctor-checklist').locator('li[data-ok="false"]');
    expect(await missing.allInnerTexts()).toEqual([expect.stringContaining('data/test/labels.npy')]);
    expect(await page.getByTestId('doctor-checklist').locator('li[data-ok="true"]').count()).toBe(6);
    const problems = await page.getByTestId('doctor-problems').locator('li').allInnerTexts();
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('data/test/labels.npy is missing from s3://workbench/doctor-flags/data/.');
    expect(problems.join('\n')).toContain('validation: features.npy has 20 rows but labels.npy has 19.');
    // The metadata problem names the file, the declared n_features and the arrays' real width.
    expect(problems.join('\n')).toMatch(/features_metadata\.json[^\n]*n_features[^\n]*7[^\n]*5 columns/);
    for (const p of problems) expect(p).toMatch(/Fix: \S/);

    // Another prefix is another bucket layout: the old verdict goes away instead of misleading.
    await page.getByLabel('Key prefix (optional)').fill('elsewhere');
    await page.getByLabel('Key prefix (optional)').press('Tab');
    await page.getByTestId('doctor-verdict').waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Check the bucket' }).isVisible()).toBe(true);
  });

  it('the experiment browser draws one uPlot chart per metric with every member and a summary table', async () => {
    const exp = 'experiments/fixture-run';
    await putObject(`${exp}/config_20240101_120000.json`, JSON.stringify({ lr: 0.001, model: { layers: [64, 32] }, seed: 1 }));
    await putObject(`${exp}/config_20240102_090000.json`, JSON.stringify({ lr: 0.0005, model: { layers: [64, 32] }, epochs: 3 }));
    await putObject(`${exp}/models/20240102_090000/model_0.pt`, new Uint8Array(1000));
    await putObject(`${exp}/models/20240102_090000/model_1.pt`, new Uint8Array(2000));
    // Member 0 as a dict of per-epoch lists, member 1 as a list of per-epoch dicts (both shapes are accepted).
    await putObject(`${exp}/results/20240102_090000/history_0.json`, JSON.stringify({ loss: [0.9, 0.5, 0.6], val_auc: [0.6, 0.8, 0.7] }));
    await putObject(
      `${exp}/results/20240102_090000/history_1.json`,
      JSON.stringify([{ epoch: 1, loss: 0.8, val_auc: 0.5 }, { epoch: 2, loss: 0.7, val_auc: 0.6 }, { epoch: 3, loss: 0.3, val_auc: 0.9 }]),
    );

    const t = await newPage();
    const page = await openS3(t);
    await page.getByRole('tab', { name: 'Experiments' }).click();
    await page.getByRole('button', { name: 'List experiments' }).click();
    await page.getByRole('button', { name: 'fixture-run' }).click();
    await page.getByRole('button', { name: '20240102_090000' }).click();
    const summary = page.getByTestId('experiment-summary');
    await summary.waitFor({ timeout: UI_WAIT_MS });

    // One chart per metric, each a uPlot canvas with both members in its legend.
    const charts = page.locator('.metric-chart');
    await expect.poll(() => charts.count(), { timeout: UI_WAIT_MS }).toBe(2);
    expect(await page.locator('.metric-chart canvas').count()).toBe(2);
    expect(await page.locator('.metric-chart[data-metric="loss"] .u-legend .u-series').allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringContaining('member 0'), expect.stringContaining('member 1')]),
    );

    const cells = async (metric: string) =>
      summary.locator(`tr[data-metric="${metric}"] td[data-member]`).evaluateAll((tds) => tds.map((td) => [td.getAttribute('data-epoch'), Number(td.getAttribute('data-best'))]));
    expect(await cells('loss')).toEqual([['2', 0.5], ['3', 0.3]]);
    expect(await cells('val_auc')).toEqual([['2', 0.8], ['3', 0.9]]);
    const meanSd = async (metric: string) => {
      const td = summary.locator(`tr[data-metric="${metric}"] td[data-cell="mean-sd"]`);
      return [Number(await td.getAttribute('data-mean')), Number(await td.getAttribute('data-sd')), await td.innerText()];
    };
    const [lossMean, lossSd, lossText] = await meanSd('loss');
    expect(lossMean).toBeCloseTo(0.4, 12);
    expect(lossSd).toBeCloseTo(Math.sqrt(0.02), 12); // best values 0.5 and 0.3, sample sd
    expect(lossText).toBe('0.4 ± 0.1414');
    const [aucMean] = await meanSd('val_auc');
    expect(aucMean).toBeCloseTo(0.85, 12);

    // Models per timestamp and a config diff.
    expect(await page.locator('table.models tbody tr').first().innerText()).toMatch(/20240102_090000\s+2\s+2\.9 KiB/);
    await page.getByLabel('Select config 20240101_120000 for diff').check();
    await page.getByLabel('Select config 20240102_090000 for diff').check();
    await page.getByRole('button', { name: /Diff selected/ }).click();
    const diff = page.getByTestId('config-diff');
    await diff.waitFor();
    expect((await diff.locator('tbody tr').allInnerTexts()).map((r) => r.trim())).toEqual([
      expect.stringMatching(/^epochs\s+added\s+3$/),
      expect.stringMatching(/^lr\s+changed\s+0\.001\s+0\.0005$/),
      expect.stringMatching(/^seed\s+removed\s+1$/),
    ]);
    expect(t.consoleErrors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });

  it('uploads dropped files to the keys typed for them and asks before overwriting a changed object', async () => {
    const first = new TextEncoder().encode('{"n_features": 5}');
    const second = new Uint8Array(300_000).map((_, i) => i % 251);
    const t = await newPage();
    const page = await openS3(t, 'dropped');
    await page.getByRole('radio', { name: 'Files of my choice' }).check();
    await page.getByTestId('upload-file-input').setInputFiles([
      { name: 'meta.json', mimeType: 'application/json', buffer: Buffer.from(first) },
      { name: 'blob.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(second) },
    ]);
    await page.getByLabel('Key for meta.json').fill('data/custom/features_metadata.json');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const result = page.getByTestId('upload-result');
    await result.getByText(/uploaded and verified/).waitFor({ timeout: UI_WAIT_MS });
    expect(await result.innerText()).toContain('✓ 2 uploaded and verified');
    expect(sha256(await objectBytes('dropped/data/custom/features_metadata.json'))).toBe(sha256(first));
    expect(sha256(await objectBytes('dropped/data/blob.bin'))).toBe(sha256(second));

    // Another page drops a changed blob.bin: nothing is overwritten without the user's yes.
    const changed = second.map((b) => b ^ 0xff);
    const t2 = await newPage();
    const page2 = await openS3(t2, 'dropped');
    await page2.getByRole('radio', { name: 'Files of my choice' }).check();
    await page2.getByTestId('upload-file-input').setInputFiles([{ name: 'blob.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(changed) }]);
    await page2.getByRole('button', { name: 'Upload', exact: true }).click();
    const dialog = page2.getByRole('alertdialog');
    await dialog.waitFor({ timeout: UI_WAIT_MS });
    expect(await dialog.getByRole('heading').innerText()).toBe('Overwrite dropped/data/blob.bin?');
    await dialog.getByRole('button', { name: 'Keep the existing object' }).click();
    const result2 = page2.getByTestId('upload-result');
    await result2.getByText(/kept as they were/).waitFor({ timeout: UI_WAIT_MS });
    expect(await result2.innerText()).toContain('0 uploaded and verified, 0 identical skipped, 1 kept as they were, 0 failed');
    expect(sha256(await objectBytes('dropped/data/blob.bin'))).toBe(sha256(second));

    await page2.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog.waitFor({ timeout: UI_WAIT_MS });
    await dialog.getByRole('button', { name: 'Overwrite' }).click();
    await result2.getByText(/✓ 1 uploaded and verified/).waitFor({ timeout: UI_WAIT_MS });
    expect(sha256(await objectBytes('dropped/data/blob.bin'))).toBe(sha256(changed));
  });

  it('the bucket browser descends and climbs the prefix tree, pages past 1,000 keys, previews JSON and .npy headers, downloads', async () => {
    const many = Array.from({ length: 1003 }, (_, i) => `browse/many/k${String(i).padStart(4, '0')}.txt`);
    for (let i = 0; i < many.length; i += 50) await Promise.all(many.slice(i, i + 50).map((k) => putObject(k, 'x')));
    const meta = { n_features: 2, feature_names: ['a', 'b'] };
    await putObject('browse/meta.json', JSON.stringify(meta));
    await putObject('browse/arr.npy', encodeNpy('<f4', [3, 2], new Float32Array(6)));

    const t = await newPage();
    const page = await openS3(t, 'browse');
    await page.getByRole('tab', { name: 'Bucket browser' }).click();
    await page.getByRole('button', { name: 'List objects' }).click();
    const rows = page.getByTestId('s3-objects').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: UI_WAIT_MS }).toBe(3);
    expect((await rows.allInnerTexts()).map((r) => r.split('\t')[0]!.trim())).toEqual(['📁 many/', 'arr.npy', 'meta.json']);

    await page.getByRole('row', { name: /meta\.json/ }).getByRole('button', { name: 'Preview' }).click();
    const json = page.getByTestId('s3-preview-json');
    await json.waitFor();
    expect(JSON.parse(await json.innerText())).toEqual(meta);
    await page.getByRole('row', { name: /arr\.npy/ }).getByRole('button', { name: 'Preview' }).click();
    const npy = page.getByTestId('s3-preview-npy');
    await npy.waitFor();
    expect((await npy.innerText()).replace(/\s+/g, ' ')).toContain('dtype <f4 shape (3, 2) order C (row-major)');

    const download = page.waitForEvent('download');
    await page.getByRole('row', { name: /meta\.json/ }).getByRole('button', { name: 'Download' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('meta.json');
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile((await file.path())!, 'utf8'))).toEqual(meta);

    // Into many/ with the keyboard: 1,000 keys, then "Load more" brings the rest.
    await page.getByRole('button', { name: '📁 many/' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count(), { timeout: UI_WAIT_MS }).toBe(1000);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count(), { timeout: UI_WAIT_MS }).toBe(1003);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    expect(await rows.last().innerText()).toMatch(/^k1002\.txt\s+1 B/);

    await page.getByRole('navigation', { name: 'Prefix' }).getByRole('button', { name: 'browse' }).click();
    await expect.poll(() => rows.count(), { timeout: UI_WAIT_MS }).toBe(3);
  });

  it('Cancel stops an upload running in the worker: the page says so and no object appears', async () => {
    // A slow link (≈ 2 MB/s) so that the upload is still running when Cancel is pressed.
    const proxy = await startThrottlingProxy(services.s3Endpoint, 2_000);
    const saved = config;
    config = { ...saved!, endpoint: proxy.endpoint };
    try {
      const t = await newPage();
      const page = await openS3(t, 'cancelled');
      await page.getByRole('radio', { name: 'Files of my choice' }).check();
      await page.getByTestId('upload-file-input').setInputFiles([{ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(24 * 1024 * 1024, 5) }]);
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.locator('table.upload-files tr[data-phase="uploading"]').waitFor({ timeout: UI_WAIT_MS });
      await page.getByRole('button', { name: 'Cancel' }).click();
      const result = page.getByTestId('upload-result');
      await result.getByText(/Cancelled/).waitFor({ timeout: UI_WAIT_MS });
      expect(await result.innerText()).toBe('Cancelled. Upload again to send what is missing: finished files are skipped.');
      const head = await client.send(new HeadObjectCommand({ Bucket: services.bucket, Key: 'cancelled/data/slow.bin' })).then(() => 'exists', (e: { name?: string }) => e.name);
      expect(head).toBe('NotFound');
      expect(t.consoleErrors.filter((e) => !/favicon|net::ERR|Failed to load resource/.test(e))).toEqual([]);
    } finally {
      config = saved;
      await proxy.stop();
    }
  });

  it('the built upload worker carries the DOM-free XML parser (workers have no DOMParser)', () => {
    const workers = readdirSync(join(DIST, 'assets')).filter((f) => /^upload\.worker-.*\.js$/.test(f));
    expect(workers).toHaveLength(1);
    const code = readFileSync(join(DIST, 'assets', workers[0]!), 'utf8');
    expect(code).toContain('CompleteMultipartUpload');
    expect(code).not.toContain('DOMParser');
  });

  it('temporary keys with an unknown access key id get a clear "access denied" sentence', async () => {
    const t = await newPage();
    const page = await openS3(t);
    await page.getByRole('radio', { name: 'Temporary access keys' }).check();
    await page.getByLabel('Access key id').fill('AKIAUNKNOWNKEY000000');
    await page.getByLabel('Secret access key').fill('not-a-secret');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('s3-test-result');
    await result.getByText(/✗|✓/).waitFor({ timeout: UI_WAIT_MS });
    expect(await result.innerText()).toMatch(/^✗ Access denied to bucket workbench \(list\): the access key id is unknown to this S3 endpoint — check the key/);
    // A trip to another screen keeps the keys (memory) and the typed kind; storage never sees them.
    await page.getByRole('tab', { name: 'Files' }).click();
    await page.getByRole('tab', { name: 'S3' }).click();
    expect(await page.getByLabel('Access key id').inputValue()).toBe('AKIAUNKNOWNKEY000000');
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toContain('AKIAUNKNOWNKEY000000');
    expect(stored).not.toContain('not-a-secret');
  });
});
