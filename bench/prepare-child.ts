/**
 * One `prospect prepare` run in its own process (so its peak memory is its own), with the CLI's memory
 * budget: `node --import tsx bench/prepare-child.ts FEATURES LABELS OUTDIR`. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { preloadPrepare, runPrepare } from '../src/engine/prepare';
import { dirSink } from '../src/engine/node-sink';
import { DEFAULT_PREPARE_SETTINGS } from '../src/core/prepare-types';
import { CLI_MEMORY_BYTES } from '../src/cli/prepare';

const [features, labels, out] = process.argv.slice(2);
// Module loading belongs to start-up, as the Python recipe's imports come before its clock starts.
await preloadPrepare({ threads: true });
const phases: Record<string, number> = {};
let phase = '';
let since = performance.now();
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await runPrepare(
  {
    features: { kind: 'path', path: features! },
    labels: { kind: 'path', path: labels! },
    settings: DEFAULT_PREPARE_SETTINGS,
    out: dirSink(out!),
  },
  {
    memoryBytes: CLI_MEMORY_BYTES,
    onProgress: (p) => {
      if (p.phase !== phase) {
        const now = performance.now();
        if (phase) phases[phase] = (now - since) / 1000;
        phase = p.phase;
        since = now;
      }
    },
  },
);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
// Peak memory as the kernel keeps it (getrusage's ru_maxrss, which the Python recipe reports, and
// VmHWM): no sampling timer runs on the job's thread while it is timed.
const rssPeak = process.resourceUsage().maxRSS * 1024;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(JSON.stringify({ seconds, cpuSeconds, phases, rssPeakBytes: rssPeak, vmhwmBytes: hwm ? Number(hwm[1]) * 1024 : rssPeak }) + '\n');
