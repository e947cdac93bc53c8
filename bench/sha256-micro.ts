/**
 * Micro-benchmark of the WASM SHA-256 paths against node:crypto in the same run (the machine is shared,
 * so only the ratio is comparable across runs). Run: node --import tsx bench/sha256-micro.ts [MiB] [rounds]
 *
 * "cold" lines run in a fresh process: the first 16 MiB hashed after the module is compiled, which is
 * what a new worker or a small prepare job sees (V8 starts WASM on its baseline compiler).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { bytesSource } from '../src/core/source';
import { createSha256, sha256Source } from '../src/engine/sha256';
import type { KernelFlavour } from '../src/engine/wasm';

const MiB = 2 ** 20;
const MB = 1e6;
const COLD_BYTES = 16 * MiB;

if (process.argv[2] === '--cold') {
  // Child: time the first COLD_BYTES through a fresh module in 4 MiB updates; print MB/s.
  const bytes = randomBytes(COLD_BYTES);
  const t = performance.now();
  const h = await createSha256(process.argv[3] as KernelFlavour);
  for (let off = 0; off < COLD_BYTES; off += 4 * MiB) h.update(bytes.subarray(off, off + 4 * MiB));
  h.digestHex();
  process.stdout.write(String(COLD_BYTES / MB / ((performance.now() - t) / 1000)));
  process.exit(0);
}

const totalBytes = Number(process.argv[2] ?? 256) * MiB;
const rounds = Number(process.argv[3] ?? 3);
const data = randomBytes(totalBytes);

/** Best MB/s of `rounds` runs of `fn` over `totalBytes`. */
async function bestMBps(fn: () => Promise<unknown> | unknown): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return totalBytes / MB / (best / 1000);
}

/** Feeds `data` to a fresh hasher in updates of `piece` bytes. */
async function incremental(flavour: KernelFlavour, piece: number): Promise<string> {
  const h = await createSha256(flavour);
  for (let off = 0; off < totalBytes; off += piece) h.update(data.subarray(off, off + piece));
  return h.digestHex();
}

function nodeIncremental(piece: number): string {
  const h = createHash('sha256');
  for (let off = 0; off < totalBytes; off += piece) h.update(data.subarray(off, off + piece));
  return h.digest('hex');
}

const expected = nodeIncremental(totalBytes);
const rows: [string, number, number][] = [];
for (const piece of [totalBytes, 16 * MiB, 1 * MiB, 64 * 1024, 4096, 1500]) {
  const label = piece === totalBytes ? 'one update' : piece >= MiB ? `${piece / MiB} MiB updates` : `${piece} B updates`;
  const node = await bestMBps(() => nodeIncremental(piece));
  for (const flavour of ['simd', 'scalar'] as const) {
    if ((await incremental(flavour, piece)) !== expected) throw new Error(`${flavour} ${label}: wrong digest`);
    rows.push([`createSha256 ${flavour.padEnd(6)} ${label}`, await bestMBps(() => incremental(flavour, piece)), node]);
  }
}
const node = await bestMBps(() => nodeIncremental(totalBytes));
for (const flavour of ['simd', 'scalar'] as const) {
  if ((await sha256Source(bytesSource(data, 'x'), { flavour })) !== expected) throw new Error('sha256Source: wrong digest');
  rows.push([`sha256Source ${flavour.padEnd(6)}`, await bestMBps(() => sha256Source(bytesSource(data, 'x'), { flavour })), node]);
}
for (const flavour of ['simd', 'scalar'] as const) {
  const coldRuns = [0, 1, 2].map(() =>
    Number(execFileSync(process.execPath, ['--import', 'tsx', process.argv[1]!, '--cold', flavour], { encoding: 'utf8' })),
  );
  const nodeCold = COLD_BYTES / MB / (Number(execFileSync(process.execPath, ['-e', `
    const c = require('node:crypto'); const b = c.randomBytes(${COLD_BYTES}); const t = performance.now();
    const h = c.createHash('sha256'); for (let o = 0; o < b.length; o += ${4 * MiB}) h.update(b.subarray(o, o + ${4 * MiB}));
    h.digest('hex'); process.stdout.write(String((performance.now() - t) / 1000));`], { encoding: 'utf8' })));
  rows.push([`cold process ${flavour.padEnd(6)} first 16 MiB`, Math.max(...coldRuns), nodeCold]);
}
console.log(`SHA-256 over ${totalBytes / MiB} MiB, best of ${rounds}; node:crypto fed the same pieces in the same run`);
for (const [label, wasm, ref] of rows) {
  console.log(`${label.padEnd(40)} ${wasm.toFixed(0).padStart(6)} MB/s   node:crypto ${ref.toFixed(0).padStart(6)} MB/s   ratio ${(wasm / ref).toFixed(2)}`);
}
