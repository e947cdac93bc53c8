/**
 * `prospect ls --bucket B [--prefix P] [--recursive] [--json] [...]` — one level of the bucket tree
 * (folders, then objects with sizes and dates), following pagination past 1,000 keys.
 */
import { parseArgs } from './args';
import { connectionFromArgs, S3_VALUE_OPTIONS } from '../server/cli-options';
import { makeS3Client } from '../s3/client';
import { listAllObjects, listLevelAll } from '../s3/browse';

/** Runs `prospect ls`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { values: S3_VALUE_OPTIONS, flags: ['json', 'recursive'] });
  const { conn } = connectionFromArgs(args);
  const client = makeS3Client(conn);
  if (args.flags.has('recursive')) {
    const objects = await listAllObjects(client, conn.bucket, conn.prefix);
    if (args.flags.has('json')) process.stdout.write(JSON.stringify(objects, null, 2) + '\n');
    else for (const o of objects) process.stdout.write(`${String(o.size).padStart(14)}  ${o.lastModified?.toISOString() ?? ''}  ${o.key}\n`);
    return 0;
  }
  const level = await listLevelAll(client, conn.bucket, conn.prefix);
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(level, null, 2) + '\n');
    return 0;
  }
  for (const f of level.folders) process.stdout.write(`${'PRE'.padStart(14)}  ${''.padEnd(24)}  ${f}\n`);
  for (const o of level.objects) process.stdout.write(`${String(o.size).padStart(14)}  ${o.lastModified?.toISOString() ?? ''.padEnd(24)}  ${o.key}\n`);
  return 0;
}
