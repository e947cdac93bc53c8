/**
 * End-to-end harness: the built page (dist/) served on a free loopback port and driven in Debian's
 * Chromium through playwright-core.
 *
 *   const e2e = await startE2E();            // once per test file (beforeAll): builds if needed, serves, launches
 *   const t = await e2e.newPage();           // per test: fresh context (fresh OPFS, storage), page, recorders;
 *                                            // the contexts of earlier newPage() calls are closed first
 *   await dropFiles(t.page, [{ name: 'features.npy', bytes }]);
 *   expect(t.consoleErrors).toEqual([]);  expect(t.origins()).toEqual([e2e.origin]);
 *   await e2e.stop();                        // afterAll
 *
 * The build runs at most once at a time (a lock directory) and is skipped when dist/ is newer than every
 * input (src/, index.html, build/*.wasm, vite.config.ts), so several test files share one build; each
 * test file serves its own copy of dist/ (a later rebuild cannot change a running page). With the vitest
 * globalSetup (tests/e2e/global-setup.ts) the build happens once before any test file.
 */
import { afterAll, beforeAll } from 'vitest';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { serveStatic, type StaticServer } from '../../src/server/static';
import type { DeploymentConfig } from '../../src/s3/config';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = join(ROOT, 'dist');
const LOCK_DIR = join(ROOT, 'node_modules', '.cache', 'e2e-build.lock');
/** A lock older than this is from a crashed run. */
const STALE_LOCK_MS = 5 * 60_000;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** True when Chromium is installed (tests skip with a printed reason otherwise). */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** True when dist/ was built after the last change to any of its inputs. */
export function distIsFresh(): boolean {
  const built = join(DIST, 'index.html');
  if (!existsSync(built)) return false;
  const inputs = ['src', 'index.html', 'vite.config.ts', 'build', 'package.json'].map((p) => newestMtime(join(ROOT, p)));
  return statSync(built).mtimeMs > Math.max(...inputs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` holding the build lock (a directory: atomic across processes); a stale lock is broken. */
async function withBuildLock<T>(fn: () => Promise<T> | T, giveUpWhen?: () => boolean): Promise<T | undefined> {
  mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        // The holder just released it.
      }
      await sleep(250);
      if (giveUpWhen?.()) return undefined;
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** Builds dist/ with vite unless it is fresh; one build at a time across processes. */
export async function buildPageOnce(): Promise<void> {
  if (distIsFresh()) return;
  await withBuildLock(async () => {
    if (distIsFresh()) return;
    const { build } = await import('vite');
    await build({ root: ROOT, logLevel: 'error' });
  });
}

/**
 * A private copy of dist/ for one test file, taken under the build lock: a rebuild started by another
 * test file (sources changed meanwhile) empties dist/ and must not pull files from under a running page.
 */
function snapshotDist(): { dir: string; cleanup(): void } {
  const snap = makeTempDir('dist');
  cpSync(DIST, snap.dir, { recursive: true });
  return snap;
}

/** One test's page with what it recorded. */
export interface E2EPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, as text. */
  consoleErrors: string[];
  /** Every request URL the page (and its workers) made. */
  requests: string[];
  /** Distinct origins of `requests` (blob:/data: excluded). */
  origins(): string[];
}

export interface E2E {
  server: StaticServer;
  browser: Browser;
  /** The page's origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  url: string;
  newPage(options?: { downloads?: boolean }): Promise<E2EPage>;
  stop(): Promise<void>;
}

/** Builds (if needed), serves dist/ and launches Chromium. `config` is served as /config.json (null: 404). */
export async function startE2E(config: DeploymentConfig | null | (() => DeploymentConfig | null) = null): Promise<E2E> {
  await buildPageOnce();
  const snap = (await withBuildLock(() => snapshotDist()))!;
  let server: StaticServer;
  try {
    server = await serveStatic(snap.dir, 0, config);
  } catch (e) {
    snap.cleanup();
    throw e;
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  } catch (e) {
    await server.stop();
    snap.cleanup();
    throw e;
  }
  const origin = server.url.replace(/\/$/, '');
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    origin,
    url: server.url,
    async newPage({ downloads = true } = {}) {
      // One test at a time per file: the previous test's context is closed first (no page of an earlier
      // test keeps a worker, a download or a file chooser alive into the next one).
      for (const c of contexts.splice(0)) await c.close().catch(() => {});
      const context = await browser.newContext({ acceptDownloads: downloads });
      contexts.push(context);
      const requests: string[] = [];
      const consoleErrors: string[] = [];
      // context-level 'request' also sees requests made by the page's workers.
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
      return {
        context,
        page,
        consoleErrors,
        requests,
        origins: () =>
          [...new Set(requests.filter((u) => /^https?:/.test(u)).map((u) => new URL(u).origin))].sort(),
      };
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
      snap.cleanup();
    },
  };
}

/**
 * Starts the page in Chromium before a describe block's tests and stops it after them; the getter hands
 * it to the tests.
 */
export function useE2E(config?: Parameters<typeof startE2E>[0]): () => E2E {
  let e2e: E2E | undefined;
  beforeAll(async () => {
    e2e = await startE2E(config);
  }, 180_000);
  afterAll(async () => {
    await e2e?.stop();
  });
  return () => {
    if (!e2e) throw new Error('the page did not start');
    return e2e;
  };
}

/** A file to drop: in-memory bytes, or a path on disk (use a path above ~50 MB: playwright's buffer limit). */
export type DropFile = { name: string; bytes: Uint8Array; mimeType?: string } | { path: string };

/** Puts files into the Files screen's hidden input (as a drop or the picker would); all paths or all in-memory. */
export async function dropFiles(page: Page, files: DropFile[]): Promise<void> {
  const input = page.getByTestId('file-input');
  const paths = files.filter((f): f is { path: string } => 'path' in f).map((f) => f.path);
  if (paths.length === files.length) return input.setInputFiles(paths);
  if (paths.length > 0) throw new Error('dropFiles: playwright takes either paths or in-memory files in one drop, not both.');
  await input.setInputFiles(
    files.map((f) => {
      const m = f as { name: string; bytes: Uint8Array; mimeType?: string };
      return {
        name: m.name,
        mimeType: m.mimeType ?? 'application/octet-stream',
        buffer: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
      };
    }),
  );
}

/** A temporary directory for this test run (removed by the returned cleanup). */
export function makeTempDir(tag: string): { dir: string; cleanup(): void } {
  const dir = join(tmpdir(), `workbench-e2e-${tag}-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes a large float32 `.npy` (rows × cols, C order) to `path` without holding it in memory: rows are
 * generated `rowsPerChunk` at a time by `fill(rowStart, view)` (view is rows × cols float32).
 */
export function writeLargeNpy(
  path: string,
  header: Uint8Array,
  rows: number,
  cols: number,
  fill: (rowStart: number, view: Float32Array) => void,
  rowsPerChunk = 65_536,
): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    const buf = new Float32Array(rowsPerChunk * cols);
    for (let r = 0; r < rows; r += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, rows - r);
      const view = buf.subarray(0, n * cols);
      fill(r, view);
      writeSync(fd, new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes bytes to a file in `dir` and returns its path. */
export function writeTempFile(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/**
 * Installs, before any page script, a recorder of long tasks (PerformanceObserver 'longtask') and of the
 * largest gap between timer ticks (setTimeout(0) loop), read back with `readMainThreadStalls`.
 */
export async function recordMainThreadStalls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __stalls: { longTasks: number[]; maxGapMs: number; sampling: boolean } };
    w.__stalls = { longTasks: [], maxGapMs: 0, sampling: false };
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__stalls.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No long-task API: the gap sampler still runs.
    }
  });
}

/** Starts sampling timer gaps (after page load, so startup work is not counted). */
export async function startGapSampler(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __stalls: { longTasks: number[]; maxGapMs: number; sampling: boolean } };
    w.__stalls.longTasks = [];
    w.__stalls.maxGapMs = 0;
    (w.__stalls as unknown as { gaps: number[][] }).gaps = [];
    w.__stalls.sampling = true;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      if (now - last > 30) (w.__stalls as unknown as { gaps: number[][] }).gaps.push([last, now - last]);
      w.__stalls.maxGapMs = Math.max(w.__stalls.maxGapMs, now - last);
      last = now;
      if (w.__stalls.sampling) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  });
}

/** Stops sampling; returns long-task durations and the largest timer gap seen since `startGapSampler`. */
export async function readMainThreadStalls(page: Page): Promise<{ longTasks: number[]; maxGapMs: number; gaps: number[][]; now: number }> {
  return page.evaluate(() => {
    const w = window as unknown as { __stalls: { longTasks: number[]; maxGapMs: number; sampling: boolean } };
    w.__stalls.sampling = false;
    return { longTasks: [...w.__stalls.longTasks], maxGapMs: w.__stalls.maxGapMs, gaps: (w.__stalls as unknown as { gaps: number[][] }).gaps, now: performance.now() };
  });
}

/** Main-thread tasks of a page from a Chromium trace: wall time and CPU (thread) time, in ms. */
export interface MainThreadTask {
  wallMs: number;
  cpuMs: number;
}

/**
 * Starts a Chromium trace of `page` (toplevel tasks of every thread). Stop it with `stopMainThreadTrace`.
 * Unlike long-task entries (wall clock), the trace gives each task's CPU time, so a task that was merely
 * descheduled on a loaded machine is not mistaken for work that blocked the UI thread.
 */
export async function startMainThreadTrace(browser: Browser, page: Page): Promise<void> {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline', '__metadata'] });
}

/** Stops the trace and returns the tasks that ran on renderer main threads (CrRendererMain). */
export async function stopMainThreadTrace(browser: Browser): Promise<MainThreadTask[]> {
  const buffer = await browser.stopTracing();
  const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  return events
    .filter((e) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && mainThreads.has(`${e.pid}:${e.tid}`))
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}
