/**
 * Copies a local directory tree into a bucket (Node only): used by `prospect serve --seed DIR` and by
 * tests to put fixture experiments into the local server.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Puts every file under `dir` at `prefix + relative path`; returns the keys written. */
export async function seedBucketFromDirectory(client: S3Client, bucket: string, dir: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for (const file of (await walk(dir)).sort()) {
    const key = prefix + relative(dir, file).split(sep).join('/');
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: await readFile(file),
        ContentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      }),
    );
    keys.push(key);
  }
  return keys;
}
