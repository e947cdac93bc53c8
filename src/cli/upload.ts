/**
 * `prospect upload DIR --bucket B [--prefix P] [--endpoint URL] [--region R] [--identity-pool ID]`
 * Uploads DIR/data/** to PREFIX/data/… with verified multipart uploads (see src/s3/upload.ts).
 * Exit 0 when every file is uploaded or already identical; 1 otherwise (conflicts included).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { WorkbenchError } from '../core/errors';
import { fileSource } from '../core/node-source';
import { parseArgs, numberOption } from './args';
import { connectionFromArgs, S3_VALUE_OPTIONS } from '../server/cli-options';
import { makeS3Client, keyFor } from '../s3/client';
import { uploadFiles, DEFAULT_PART_BYTES, type UploadItem, type UploadProgress } from '../s3/upload';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

function mb(n: number): string {
  return `${(n / 1e6).toFixed(1)} MB`;
}

function ttyProgress(): ((p: UploadProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const pct = p.totalBytes > 0 ? (100 * p.sentBytes) / p.totalBytes : 100;
    const eta = p.etaSeconds === null ? '' : ` ${Math.ceil(p.etaSeconds)} s left`;
    const active = p.files.filter((f) => f.state !== 'waiting' && f.state !== 'uploaded' && f.state !== 'skipped').map((f) => `${f.key.split('/').slice(-2).join('/')} ${f.state}`);
    process.stderr.write(`\r\x1b[K${pct.toFixed(0).padStart(3)}% ${mb(p.sentBytes)}/${mb(p.totalBytes)} ${p.megabytesPerSecond.toFixed(1)} MB/s${eta}  ${active.slice(0, 2).join(', ')}`);
  };
}

/** Runs `prospect upload`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: [...S3_VALUE_OPTIONS, 'concurrency', 'part-size-mib'], flags: ['json', 'verify-download', 'overwrite'] });
  const dir = args.positionals[0];
  if (!dir || args.positionals.length > 1) throw new WorkbenchError('BAD_SETTING', 'usage: prospect upload DIR --bucket B [--prefix P] [--endpoint URL] [--region R] [--identity-pool ID]');
  const dataDir = join(dir, 'data');
  const st = await stat(dataDir).catch(() => null);
  if (!st?.isDirectory()) throw new WorkbenchError('BAD_SETTING', `${dataDir} is not a directory: DIR must contain data/training, data/validation, data/test …`, dataDir);
  const { conn } = connectionFromArgs(args);
  const client = makeS3Client(conn);
  const files = await walk(dataDir);
  if (files.length === 0) throw new WorkbenchError('BAD_SETTING', `${dataDir} contains no files.`, dataDir);
  const items: UploadItem[] = await Promise.all(
    files.map(async (f) => ({
      key: keyFor(conn, `data/${relative(dataDir, f).split(sep).join('/')}`),
      size: (await stat(f)).size,
      open: () => fileSource(f),
    })),
  );
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  const progress = ttyProgress();
  let report;
  try {
    report = await uploadFiles(client, conn.bucket, items, {
      concurrency: numberOption(args, 'concurrency', 2),
      partSize: numberOption(args, 'part-size-mib', DEFAULT_PART_BYTES / 2 ** 20) * 2 ** 20,
      verifyByDownload: args.flags.has('verify-download'),
      confirmOverwrite: args.flags.has('overwrite') ? () => true : undefined,
      onProgress: progress,
      signal: ac.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    if (progress) process.stderr.write('\n');
  }
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    for (const f of report.files) {
      const mark = f.status === 'uploaded' ? '✓ uploaded ' : f.status === 'skipped-identical' ? '= identical' : f.status === 'skipped-conflict' ? '! conflict ' : '✗ failed   ';
      process.stdout.write(`${mark} s3://${conn.bucket}/${f.key} (${f.size} bytes, sha256 ${f.sha256.slice(0, 12)}…)\n`);
      if (f.error) process.stdout.write(`    ${f.error.message}\n`);
    }
    process.stdout.write(`${mb(report.sentBytes)} sent in ${report.seconds.toFixed(1)} s\n`);
    if (report.files.some((f) => f.status === 'skipped-conflict')) process.stdout.write('Conflicting objects were kept; pass --overwrite to replace them.\n');
  }
  return report.ok ? 0 : 1;
}
