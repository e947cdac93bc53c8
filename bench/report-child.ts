/**
 * One `prospect report` in its own process (so its peak memory is its own): `node --import tsx
 * bench/report-child.ts FEATURES LABELS`. The engine and kernels are loaded before the clock starts (as
 * numpy is imported before the recipe's); the clock covers the report from opening the files to its
 * JSON text. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { buildReport } from '../src/engine/report';
import { kernelModule } from '../src/engine/wasm';

const [features, labels] = process.argv.slice(2);
await kernelModule();
await import('../src/core/node-source');
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const report = await buildReport({ features: { kind: 'path', path: features! }, labels: labels ? { kind: 'path', path: labels } : undefined });
const text = JSON.stringify(report);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
const constant = report.constant_features.length;
process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakBytes: Math.max(process.resourceUsage().maxRSS * 1024, hwm ? Number(hwm[1]) * 1024 : 0), constant, bytes: text.length }) + '\n');
