/**
 * The bucket browser's data side: one tree level of a prefix (folders = CommonPrefixes with
 * Delimiter '/'), paged past 1,000 keys with ContinuationToken; previews and downloads.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { throwIfAborted } from '../core/errors';
import type { ArrayInfo } from '../core/npy';
import { inBrowser, s3Error } from './errors';
import { getObjectBytes, readRemoteArrayInfo, s3ByteSource } from './npy-remote';

/** One object in a listing. */
export interface ObjectEntry {
  key: string;
  /** The last path segment. */
  name: string;
  size: number;
  lastModified?: Date;
  etag?: string;
}

/** One level of the tree under a prefix. */
export interface TreeLevel {
  prefix: string;
  /** Sub-folders (full prefixes ending in '/'). */
  folders: string[];
  objects: ObjectEntry[];
  /** Set when there are more entries: pass it back as `continuationToken`. */
  nextToken?: string;
}

/** Keys per ListObjectsV2 page (S3's maximum). */
export const LIST_PAGE_KEYS = 1000;

function entry(o: { Key?: string; Size?: number; LastModified?: Date; ETag?: string }): ObjectEntry {
  const key = o.Key ?? '';
  return { key, name: key.split('/').filter(Boolean).pop() ?? key, size: o.Size ?? 0, lastModified: o.LastModified, etag: o.ETag };
}

/** Lists one page of one tree level under `prefix` (use `nextToken` for the next page). */
export async function listLevel(
  client: S3Client,
  bucket: string,
  prefix: string,
  opts: { continuationToken?: string; maxKeys?: number; signal?: AbortSignal } = {},
): Promise<TreeLevel> {
  try {
    const res = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        MaxKeys: opts.maxKeys ?? LIST_PAGE_KEYS,
        ContinuationToken: opts.continuationToken,
      }),
      { abortSignal: opts.signal },
    );
    return {
      prefix,
      folders: (res.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').filter(Boolean),
      objects: (res.Contents ?? []).filter((o) => o.Key !== prefix).map(entry),
      nextToken: res.IsTruncated ? res.NextContinuationToken : undefined,
    };
  } catch (e) {
    throw s3Error(e, { bucket, key: prefix || undefined, action: 'list', browser: inBrowser });
  }
}

/** A whole tree level, following every continuation token. */
export async function listLevelAll(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<TreeLevel> {
  const all: TreeLevel = { prefix, folders: [], objects: [] };
  let token: string | undefined;
  do {
    throwIfAborted(signal, `Listing ${prefix}`);
    const page = await listLevel(client, bucket, prefix, { continuationToken: token, signal });
    all.folders.push(...page.folders);
    all.objects.push(...page.objects);
    token = page.nextToken;
  } while (token);
  return all;
}

/** Every object under `prefix` (no delimiter), following continuation tokens. */
export async function listAllObjects(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<ObjectEntry[]> {
  const out: ObjectEntry[] = [];
  let token: string | undefined;
  do {
    throwIfAborted(signal, `Listing ${prefix}`);
    try {
      const res = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: LIST_PAGE_KEYS, ContinuationToken: token }),
        { abortSignal: signal },
      );
      out.push(...(res.Contents ?? []).map(entry));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } catch (e) {
      throw s3Error(e, { bucket, key: prefix || undefined, action: 'list', browser: inBrowser });
    }
  } while (token);
  return out;
}

/** Largest object previewed as text. */
export const PREVIEW_TEXT_BYTES = 1024 * 1024;

export type Preview =
  | { kind: 'json'; value: unknown; text: string }
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'npy'; info: ArrayInfo }
  | { kind: 'binary'; size: number };

/** A preview of one object: parsed JSON, the `.npy` header (ranged GET), text, or just its size. */
export async function previewObject(client: S3Client, bucket: string, obj: Pick<ObjectEntry, 'key' | 'size'>, signal?: AbortSignal): Promise<Preview> {
  if (/\.npy$/i.test(obj.key)) return { kind: 'npy', info: await readRemoteArrayInfo(client, bucket, obj.key, obj.size, signal) };
  const textual = /\.(json|txt|csv|md|ya?ml|log)$/i.test(obj.key);
  if (!textual) return { kind: 'binary', size: obj.size };
  if (obj.size > PREVIEW_TEXT_BYTES) {
    const head = await s3ByteSource(client, bucket, obj.key, obj.size, signal).read(0, PREVIEW_TEXT_BYTES);
    return { kind: 'text', text: new TextDecoder().decode(head), truncated: true };
  }
  const text = new TextDecoder().decode(await getObjectBytes(client, bucket, obj.key, signal));
  if (/\.json$/i.test(obj.key)) {
    try {
      return { kind: 'json', value: JSON.parse(text), text };
    } catch {
      return { kind: 'text', text, truncated: false };
    }
  }
  return { kind: 'text', text, truncated: false };
}

/** Downloads an object as a Blob (the page turns it into a download link). */
export async function downloadObject(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<Blob> {
  const bytes = await getObjectBytes(client, bucket, key, signal);
  return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: /\.json$/i.test(key) ? 'application/json' : 'application/octet-stream' });
}
