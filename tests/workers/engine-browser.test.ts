/**
 * The engine contract in real Chromium, through the page's real module worker (engine.client →
 * engine.worker → OPFS): the same inputs as the in-thread engine must give the same report, the same
 * prepared files (and zip), the same hash; errors arrive with their class, code and file; a cancel
 * rejects with an AbortError. A test-only page (tests/workers/browser/contract.html) is built with the
 * project's Vite config into a temp folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable, makeTempDir, ROOT } from '../e2e/harness';
import { serveStatic, type StaticServer } from '../../src/server/static';
import { makeEngine } from '../../src/engine/engine';
import { encodeNpy } from '../../src/core/npy-write';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { memorySink } from '../core/prepare-memory-sink';
import { makeRandom } from '../e2e/reference';

const haveChromium = chromiumAvailable();
if (!haveChromium) console.warn('Skipping the Chromium engine contract: /usr/bin/chromium is missing.');

type ContractWindow = { engineContract: Record<string, (...a: unknown[]) => Promise<unknown>> };

describe.skipIf(!haveChromium)('engine contract in Chromium (real worker)', () => {
  let out: { dir: string; cleanup(): void };
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    out = makeTempDir('contract-build');
    const { build } = await import('vite');
    await build({
      root: ROOT,
      logLevel: 'error',
      build: { outDir: out.dir, emptyOutDir: true, rollupOptions: { input: join(ROOT, 'tests/workers/browser/contract.html') } },
    });
    server = await serveStatic(out.dir, 0, null);
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await (await browser.newContext()).newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}tests/workers/browser/contract.html`);
    await page.waitForSelector('body[data-ready=true]', { state: 'attached' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    out?.cleanup();
  });

  const call = <T>(name: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      ([n, a]) => (window as unknown as ContractWindow).engineContract[n as string]!(...(a as unknown[])),
      [name, args] as const,
    ) as Promise<T>;

  const rows = 600;
  const cols = 4;
  const rnd = makeRandom(21);
  const features = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === 2 && rnd() < 0.1 ? Number.NaN : rnd() * 50));
  const labels = Float32Array.from({ length: rows }, () => (rnd() < 0.25 ? 1 : 0));
  const featuresNpy = encodeNpy('<f4', [rows, cols], features);
  const labelsNpy = encodeNpy('<f4', [rows], labels);
  const ref = (bytes: Uint8Array, name: string) => ({ kind: 'bytes' as const, bytes, name });

  it('inspect, and a hostile file arrives as a WorkbenchError with its code and file', async () => {
    const ok = await call<{ ok: unknown[] }>('inspect', Array.from(featuresNpy), 'features.npy');
    expect(ok.ok).toEqual(await makeEngine().inspect(ref(featuresNpy, 'features.npy')));
    const bad = await call<{ error: Record<string, string> }>('inspect', [1, 2, 3, 4], 'evil.npy');
    expect(bad.error).toMatchObject({ name: 'WorkbenchError', isWorkbenchError: true, code: 'NPY_BAD_MAGIC', file: 'evil.npy' });
    expect(bad.error.message).toContain('evil.npy');
  });

  it('the same report as the in-thread engine, with progress', async () => {
    const { report, progressEvents } = await call<{ report: unknown; progressEvents: number }>('report', Array.from(featuresNpy), Array.from(labelsNpy));
    const inThread = await makeEngine().report({ features: ref(featuresNpy, 'features.npy'), labels: ref(labelsNpy, 'labels.npy') });
    const expected = JSON.parse(JSON.stringify(inThread));
    // Equal to the bit, skewness included (it is m3 / (m2 * sqrt(m2)): sqrt is correctly rounded on
    // every engine, Math.pow is not — Node 20's V8 and Chromium's differed in the last bit).
    expect(report).toEqual(expected);
    expect(progressEvents).toBeGreaterThan(0);
  });

  it('a cancelled report rejects with an AbortError', async () => {
    const r = await call<{ error: Record<string, string> | null }>('cancelledReport', Array.from(featuresNpy), Array.from(labelsNpy));
    expect(r.error).toMatchObject({ name: 'AbortError', isDomException: true });
  });

  it('prepare writes the same files into OPFS, and the zip holds exactly them', async () => {
    const r = await call<{ result: { files: unknown }; zip: number[]; root: string; storedRoot: string }>(
      'prepareAndZip',
      Array.from(featuresNpy),
      Array.from(labelsNpy),
    );
    const sink = memorySink();
    const inThread = await makeEngine().prepare({
      features: ref(featuresNpy, 'features.npy'),
      labels: ref(labelsNpy, 'labels.npy'),
      settings: DEFAULT_PREPARE_SETTINGS,
      out: sink,
    });
    expect(r.result.files).toEqual(inThread.files);
    expect(r.storedRoot).toBe(r.root);
    const unzipped = unzipSync(Uint8Array.from(r.zip));
    expect(Object.keys(unzipped).sort()).toEqual([...sink.files.keys()].sort());
    for (const [path, bytes] of sink.files) expect(Buffer.from(unzipped[path]!).equals(Buffer.from(bytes)), path).toBe(true);
  });

  it('a worker that ignores the cancel is terminated ~1 s after the abort; the next call gets a fresh worker', async () => {
    const r = await call<{ first: { version: string }; outcome: { name: string }; settledMs: number; second: { version: string }; workersStarted: number }>('stuckWorker');
    expect(r.first.version).toBe('stuck-1');
    expect(r.outcome.name).toBe('AbortError');
    expect(r.settledMs).toBeGreaterThanOrEqual(900);
    expect(r.settledMs).toBeLessThan(5000);
    // A fresh worker: its call counter starts again.
    expect(r.second.version).toBe('stuck-1');
    expect(r.workersStarted).toBe(2);
  });

  it('the same SHA-256', async () => {
    expect(await call<string>('sha256', Array.from(labelsNpy))).toBe(await makeEngine().sha256(ref(labelsNpy, 'labels.npy')));
    expect(errors).toEqual([]);
  });
});
