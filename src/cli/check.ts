/**
 * `prospect check --bucket B [--prefix P] [--endpoint URL] [--region R] [--identity-pool ID] [--json]`
 * The bucket doctor. Exit 0 only when the bucket is ready for training.
 */
import { parseArgs } from './args';
import { connectionFromArgs, S3_VALUE_OPTIONS } from '../server/cli-options';
import { makeS3Client } from '../s3/client';
import { runBucketDoctor } from '../s3/doctor';

/** Runs `prospect check`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: S3_VALUE_OPTIONS, flags: ['json'] });
  const { conn } = connectionFromArgs(args);
  const verdict = await runBucketDoctor(makeS3Client(conn), conn.bucket, { prefix: conn.prefix, browser: false });
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(verdict, null, 2) + '\n');
  } else {
    for (const c of verdict.checks) {
      const text = c.message.startsWith('✓') || c.message.startsWith('✗') ? c.message : `${c.ok ? '✓' : '✗'} ${c.message}`;
      process.stdout.write(`${text}\n`);
      if (!c.ok && c.fix) process.stdout.write(`    fix: ${c.fix}\n`);
    }
    const failed = verdict.checks.filter((c) => !c.ok).length;
    process.stdout.write(verdict.ready ? `s3://${conn.bucket}/${conn.prefix}data/ is ready for training.\n` : `Not ready for training: ${failed} problem${failed === 1 ? '' : 's'}.\n`);
  }
  return verdict.ready ? 0 : 1;
}
