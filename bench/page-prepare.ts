/**
 * Page prepare benchmark: the built page (dist/, in Chromium through the e2e harness; engine in a module
 * worker, output to OPFS) against `prospect prepare` (bench/prepare-child.ts, in-thread engine) on the
 * same generated n x 50 float32 inputs. Prints the wall time of each progress phase as the page shows
 * it (the `.progress-phase` text, timed in the page by a MutationObserver).
 *
 * Where the page's time goes (Dec 2026, 2 shared cores; incognito context, so OPFS is in memory;
 * measured with temporary timers in the engine):
 *   4M x 50 (800 MB), 512 MiB budget: page 20.1 s (split 1.3, fit 5.5, transform 12.7) vs CLI 6.5 s.
 *     Two fit and two apply passes: File reads ~7 s (3.2 GB at ~0.35-0.6 GB/s, little of it overlapped),
 *     OPFS writes ~7.7 s (800 MB), SHA-256 of outputs ~3-4 s and of the input ~1.4 s on the worker's
 *     own thread (WASM), kernels ~2 s.
 *   The same with 1 GiB (navigator.deviceMemory 8): 15.5 s (split 1.1, fit 4.0, transform 10.0): one
 *     pass each, File reads ~4.5 s. 64 MiB read windows instead of 16 MiB did not help.
 *   1M x 50 (200 MB, one pass either way): page 3.4 s (split 0.4, fit 0.8, transform 1.6) vs CLI 1.1 s.
 *   Output files extended to their final size before the writes (OPFS here is in memory: writes into
 *     an extended file run twice as fast; the extension, ~1.7 s for 800 MB, shows under 'fitting'):
 *     4M 14.0-15.0 s (split 1.0-1.4, fit 5.4-6.6, transform 6.8-7.1), 1M 2.9 s.
 *   OPFS on disk (a persistent profile) wrote 200 MB in ~0.56 s, extended or not: this bench's private
 *   context overstates the cost of writes compared with a user's normal profile.
 * SHA-256 moved to a nested worker (src/workers/hash.worker.ts via src/engine/browser-hasher.ts; the
 *   bytes the engine reads and writes are copied into a pool of 4 x 4 MiB transferred buffers, and
 *   outputs are written and hashed 4 MiB at a time so the worker hashes one piece while OPFS writes the
 *   next). 1M, sum of the phases (medians of 6-13 runs, batches interleaved): in-thread ~2.4 s,
 *   worker reading the input File itself ~2.3 s, worker fed the bytes already read ~2.1 s (kept).
 *   The printed page total moves in ~0.5 s steps (Playwright polls the results element at 500 ms), so
 *   compare phases, not totals.
 *   The gain is well under the ~1/3 the hash took: with 2 cores, the browser process (File reads, OPFS
 *   writes) and the hashing worker compete for the second one.
 * What remains: File reads (~0.35-0.6 GB/s) bound each pass; OPFS writes on the engine's thread.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumAvailable, startE2E } from '../tests/e2e/harness';
import { writeBenchInput } from './gen-input';
import type { BenchContext, BenchSection } from './run';

const ROOT = new URL('../', import.meta.url).pathname;
const FEATURES = 50;

// A string, not a function: tsx's transform would add helper calls that do not exist in the page.
const RECORD_PHASES = `
  window.__phases = [];
  new MutationObserver(() => {
    const el = document.querySelector('.progress-phase');
    const text = el ? el.textContent : '';
    const last = window.__phases[window.__phases.length - 1];
    if (!last || last[0] !== text) window.__phases.push([text, performance.now()]);
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

/** Seconds per phase, in order, from [phase, ms] marks and the end time. */
function phaseSeconds(marks: [string, number][], end: number): [string, number][] {
  return marks.map(([phase, at], i) => [phase || '(no progress shown)', ((marks[i + 1]?.[1] ?? end) - at) / 1000]);
}

const show = (phases: [string, number][]) => phases.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');

export const section: BenchSection = {
  name: `page-prepare: Prepare in the page (Chromium, worker, OPFS) vs prospect prepare (n x ${FEATURES} float32)`,
  async run(ctx: BenchContext) {
    if (!chromiumAvailable()) {
      ctx.log('skipped: /usr/bin/chromium is missing');
      return;
    }
    const sizes = ctx.rowsOverride ?? (ctx.sizes === 'small' ? [100_000] : [1_000_000]);
    const dir = mkdtempSync(join(tmpdir(), 'prospect-page-bench-'));
    const e2e = await startE2E();
    try {
      ctx.log(`${'rows'.padStart(9)} ${'page s'.padStart(8)} ${'cli s'.padStart(8)} ${'ratio'.padStart(7)}`);
      for (const n of sizes) {
        const f = join(dir, 'features.npy');
        const l = join(dir, 'labels.npy');
        await writeBenchInput(f, l, n, FEATURES);
        const t = await e2e.newPage({ downloads: false });
        await t.page.addInitScript(RECORD_PHASES);
        await t.page.goto(e2e.url);
        await t.page.getByTestId('file-input').setInputFiles([f, l]);
        await t.page.getByTestId('selected-labels').filter({ hasText: 'labels.npy' }).waitFor({ timeout: 120_000 });
        await t.page.getByRole('tab', { name: 'Prepare' }).click();
        const start = await t.page.evaluate('performance.now()') as number;
        await t.page.getByTestId('run-prepare').click();
        await t.page.getByTestId('prepare-results').waitFor({ timeout: 60_000 + n / 10 });
        const end = await t.page.evaluate('performance.now()') as number;
        const marks = (await t.page.evaluate('window.__phases') as [string, number][]).filter(([, at]) => at >= start);
        await t.context.close();

        const out = join(dir, 'cli');
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/prepare-child.ts'), f, l, out], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 20 });
        rmSync(out, { recursive: true, force: true });
        if (r.status !== 0) throw new Error(`prospect prepare failed: ${r.stderr.trim().split('\n').pop()}`);
        const cli = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; phases: Record<string, number> };
        const page = (end - start) / 1000;
        ctx.log(`${String(n).padStart(9)} ${page.toFixed(2).padStart(8)} ${cli.seconds.toFixed(2).padStart(8)} ${`${(page / cli.seconds).toFixed(1)}x`.padStart(7)}`);
        ctx.log(`          page phases (s): ${show(phaseSeconds(marks, end))}`);
        ctx.log(`          cli phases (s):  ${show(Object.entries(cli.phases))}`);
        rmSync(f, { force: true });
        rmSync(l, { force: true });
      }
    } finally {
      await e2e.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
