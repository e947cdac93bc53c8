/**
 * Prepare benchmark: the workbench's `prospect prepare` (in a child process, in-thread engine) against
 * the users' Python recipe (scripts/bench_recipe.py with /usr/bin/python3), on the same generated
 * n x 50 float32 inputs (~3 % positives, ~1 % NaN), in the same run. Targets (issue 3): at least 20x
 * faster, and peak memory at most 1.5x the input size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchInput } from './gen-input';
import type { BenchContext, BenchSection } from './run';

const ROOT = new URL('../', import.meta.url).pathname;
const FEATURES = 50;
const MB = 1024 * 1024;

interface Measured {
  seconds: number;
  /** User + system CPU seconds: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakBytes: number;
  phases?: Record<string, number>;
}

function runWorkbench(f: string, l: string, out: string): Measured {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/prepare-child.ts'), f, l, out], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`prepare failed: ${r.stderr.trim().split('\n').pop()}`);
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { seconds: j.seconds, cpuSeconds: j.cpuSeconds, peakBytes: Math.max(j.vmhwmBytes, j.rssPeakBytes), phases: j.phases };
}

function runPython(f: string, l: string, out: string): Measured | string {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 missing';
  const r = spawnSync('/usr/bin/python3', [join(ROOT, 'scripts/bench_recipe.py'), f, l, out], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return `python failed: ${r.stderr.trim().split('\n').pop()}`;
  const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
  return { seconds: j.seconds, cpuSeconds: j.cpu_seconds, peakBytes: j.maxrss_bytes };
}

const pad = (s: string, n: number) => s.padStart(n);
const WIDTHS = [9, 9, 12, 10, 7, 13, 12, 8, 21, 21];
const HEADERS = ['rows', 'input MB', 'workbench s', 'python s', 'ratio', 'workbench cpu', 'python cpu', 'ratio', 'wb peak MB (x input)', 'py peak MB (x input)'];

export const section: BenchSection = {
  name: `prepare: prospect prepare vs the Python recipe (n x ${FEATURES} float32, ~3% positives, ~1% NaN)`,
  async run(ctx: BenchContext) {
    const sizes = ctx.rowsOverride ?? (ctx.sizes === 'small' ? [100_000] : [1_000_000, 4_000_000]);
    const dir = mkdtempSync(join(tmpdir(), 'prospect-bench-'));
    try {
      ctx.log(HEADERS.map((h, i) => pad(h, WIDTHS[i]!)).join(' '));
      for (const n of sizes) {
        const f = join(dir, `f${n}.npy`);
        const l = join(dir, `l${n}.npy`);
        await writeBenchInput(f, l, n, FEATURES);
        const inputBytes = statSync(f).size;
        const wb = runWorkbench(f, l, join(dir, `wb${n}`));
        rmSync(join(dir, `wb${n}`), { recursive: true, force: true });
        const py = runPython(f, l, join(dir, `py${n}`));
        rmSync(join(dir, `py${n}`), { recursive: true, force: true });
        const pyOk = typeof py !== 'string';
        const cells = [
          String(n),
          (inputBytes / MB).toFixed(0),
          wb.seconds.toFixed(2),
          pyOk ? py.seconds.toFixed(2) : '-',
          pyOk ? `${(py.seconds / wb.seconds).toFixed(1)}x` : '-',
          wb.cpuSeconds.toFixed(2),
          pyOk ? py.cpuSeconds.toFixed(2) : '-',
          pyOk ? `${(py.cpuSeconds / wb.cpuSeconds).toFixed(1)}x` : '-',
          `${(wb.peakBytes / MB).toFixed(0)} (${(wb.peakBytes / inputBytes).toFixed(2)}x)`,
          pyOk ? `${(py.peakBytes / MB).toFixed(0)} (${(py.peakBytes / inputBytes).toFixed(2)}x)` : py,
        ];
        ctx.log(cells.map((c, i) => pad(c, WIDTHS[i]!)).join(' '));
        if (wb.phases) ctx.log(`          workbench phases (s): ${Object.entries(wb.phases).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
        rmSync(f, { force: true });
        rmSync(l, { force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
