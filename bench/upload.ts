/**
 * Benchmark section: S3 upload throughput to the loopback server for a ~1 GB set of splits (full) or
 * ~100 MB (BENCH_SIZES=small), through the real Cognito path, with hashing and verification included;
 * then a re-run (everything skipped as identical); and the WASM SHA-256 kernel in MB/s (SIMD and
 * scalar builds, node:crypto's native code for reference). Target: SHA-256 ≥ 500 MB/s.
 *
 * Run alone: `node --import tsx bench/upload.ts [small]`; the runner imports `section`.
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npyHeader } from '../src/core/npy-write';
import { fileSource } from '../src/core/node-source';
import { createSha256 } from '../src/engine/sha256';
import { startLocalServices } from '../src/server/local-services';
import { localDeploymentConfig } from '../src/server/local-config';
import { cognitoConnection } from '../src/s3/credentials';
import { makeS3Client } from '../src/s3/client';
import { uploadFiles, type UploadItem } from '../src/s3/upload';
import type { BenchContext, BenchSection } from './run';

const MB = 1e6;

export interface Sha256BenchResult {
  bytes: number;
  simdMBps: number;
  scalarMBps: number;
  /** createSha256() fed 64 KiB updates (how the prepare and upload pipelines use it), default build. */
  incrementalMBps: number;
  nodeCryptoMBps: number;
}

export interface UploadBenchResult {
  files: number;
  bytes: number;
  /** First upload: hash + HEAD + multipart + verify, wall time. */
  uploadSeconds: number;
  uploadMBps: number;
  /** Re-run: hash + HEAD, everything skipped. */
  rerunSeconds: number;
  allVerified: boolean;
}

const INCREMENTAL_UPDATE_BYTES = 64 * 1024;

/** WASM SHA-256 throughput over `bytes` of random data in memory (best of `rounds`). */
export async function benchSha256(bytes: number, rounds = 3): Promise<Sha256BenchResult> {
  const data = randomBytes(bytes);
  const best = async (fn: () => Promise<void> | void) => {
    let min = Infinity;
    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await fn();
      min = Math.min(min, performance.now() - t);
    }
    return bytes / MB / (min / 1000);
  };
  const wasm = (flavour: 'simd' | 'scalar') => async () => {
    const h = await createSha256(flavour);
    h.update(data);
    h.digestHex();
  };
  const incremental = async () => {
    const h = await createSha256();
    for (let off = 0; off < bytes; off += INCREMENTAL_UPDATE_BYTES) h.update(data.subarray(off, off + INCREMENTAL_UPDATE_BYTES));
    h.digestHex();
  };
  return {
    bytes,
    simdMBps: await best(wasm('simd')),
    scalarMBps: await best(wasm('scalar')),
    incrementalMBps: await best(incremental),
    nodeCryptoMBps: await best(() => void createHash('sha256').update(data).digest('hex')),
  };
}

/** Writes a split set of about `totalBytes` (.npy files of float32 random data) under `dir/data/`. */
async function writeSplits(dir: string, totalBytes: number): Promise<string[]> {
  const cols = 50;
  const rowsTotal = Math.floor(totalBytes / (cols * 4));
  const splits = { training: 0.7, validation: 0.15, test: 0.15 };
  const paths: string[] = [];
  for (const [split, frac] of Object.entries(splits)) {
    const rows = Math.floor(rowsTotal * frac);
    await mkdir(join(dir, 'data', split), { recursive: true });
    const features = join(dir, 'data', split, 'features.npy');
    // Random bytes in 64 MiB pieces keep generation memory small; content is irrelevant to throughput.
    const body: Uint8Array[] = [npyHeader('<f4', [rows, cols])];
    for (let left = rows * cols * 4; left > 0; left -= 64 * 2 ** 20) body.push(randomBytes(Math.min(left, 64 * 2 ** 20)));
    await writeFile(features, body);
    const labels = join(dir, 'data', split, 'labels.npy');
    await writeFile(labels, [npyHeader('<f4', [rows]), new Uint8Array(rows * 4)]);
    paths.push(features, labels);
  }
  return paths;
}

/** Upload throughput to a fresh loopback s3rver (Cognito path), then a re-run that skips everything. */
export async function benchUpload(totalBytes: number): Promise<UploadBenchResult> {
  const work = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const services = await startLocalServices({ dataDir: join(work, 's3'), corsOrigins: [] });
  try {
    const paths = await writeSplits(join(work, 'src'), totalBytes);
    const client = makeS3Client(cognitoConnection(localDeploymentConfig(services)));
    const items: UploadItem[] = await Promise.all(
      paths.map(async (p) => {
        const src = await fileSource(p);
        const size = src.size;
        await src.close?.();
        return { key: p.slice(join(work, 'src').length + 1), size, open: () => fileSource(p) };
      }),
    );
    const bytes = items.reduce((a, i) => a + i.size, 0);
    let t = performance.now();
    const first = await uploadFiles(client, services.bucket, items);
    const uploadSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    const again = await uploadFiles(client, services.bucket, items);
    const rerunSeconds = (performance.now() - t) / 1000;
    return {
      files: items.length,
      bytes,
      uploadSeconds,
      uploadMBps: bytes / MB / uploadSeconds,
      rerunSeconds,
      allVerified: first.ok && first.files.every((f) => f.status === 'uploaded' && f.verified) && again.files.every((f) => f.status === 'skipped-identical'),
    };
  } finally {
    await services.stop();
    await rm(work, { recursive: true, force: true });
  }
}

/** The runner's section. */
export const section: BenchSection = {
  name: 'S3 upload (loopback s3rver) and SHA-256',
  async run(ctx: BenchContext) {
    const small = ctx.sizes === 'small';
    const sha = await benchSha256(small ? 64 * 2 ** 20 : 256 * 2 ** 20);
    ctx.log(`SHA-256 over ${(sha.bytes / 2 ** 20).toFixed(0)} MiB in memory (best of 3; target ≥ 500 MB/s)`);
    ctx.log(`  WASM SIMD build    ${sha.simdMBps.toFixed(0).padStart(6)} MB/s`);
    ctx.log(`  WASM scalar build  ${sha.scalarMBps.toFixed(0).padStart(6)} MB/s`);
    ctx.log(`  WASM, 64 KiB updates ${sha.incrementalMBps.toFixed(0).padStart(4)} MB/s  (createSha256, as prepare/upload feed it)`);
    ctx.log(`  node:crypto        ${sha.nodeCryptoMBps.toFixed(0).padStart(6)} MB/s  (native, SHA-NI; WASM SIMD at ${(sha.simdMBps / sha.nodeCryptoMBps).toFixed(2)}×)`);
    const up = await benchUpload(small ? 100 * MB : 1000 * MB);
    ctx.log(`Upload of ${up.files} split files, ${(up.bytes / MB).toFixed(0)} MB, to s3rver on loopback via the Cognito endpoint`);
    ctx.log(`  first upload (hash + multipart 8 MiB × 4 + verify)  ${up.uploadSeconds.toFixed(1).padStart(6)} s  ${up.uploadMBps.toFixed(0).padStart(5)} MB/s`);
    ctx.log(`  re-run (hash + HEAD, all skipped as identical)       ${up.rerunSeconds.toFixed(1).padStart(6)} s`);
    ctx.log(`  every object verified (size + SHA-256): ${up.allVerified ? 'yes' : 'NO'}`);
  },
};

// Standalone: node --import tsx bench/upload.ts [small]
if (import.meta.url === `file://${process.argv[1]}`) {
  await section.run({ sizes: process.argv[2] === 'small' ? 'small' : 'full', log: (l) => process.stdout.write(l + '\n') });
}
