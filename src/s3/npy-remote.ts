/**
 * S3 objects as ByteSources whose reads are ranged GETs, so `.npy` headers (and other small windows)
 * are read without downloading the data.
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { WorkbenchError } from '../core/errors';
import type { ByteSource } from '../core/source';
import { readArrayInfo, type ArrayInfo } from '../core/npy';
import { inBrowser, s3Error } from './errors';

/** A ByteSource over `s3://bucket/key` of known `size`; each read is one ranged GetObject. */
export function s3ByteSource(client: S3Client, bucket: string, key: string, size: number, signal?: AbortSignal): ByteSource {
  return {
    name: key.split('/').pop() ?? key,
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      try {
        const res = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${offset}-${end - 1}` }),
          { abortSignal: signal },
        );
        const bytes = await res.Body!.transformToByteArray();
        // A server that ignores Range sends the whole object: keep only the window asked for.
        return bytes.byteLength > end - offset ? bytes.subarray(offset, end) : bytes;
      } catch (e) {
        throw s3Error(e, { bucket, key, action: 'read', browser: inBrowser });
      }
    },
  };
}

/** HeadObject then a ByteSource (when the size is not known from a listing). */
export async function openS3Source(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<ByteSource> {
  try {
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return s3ByteSource(client, bucket, key, h.ContentLength ?? 0, signal);
  } catch (e) {
    throw s3Error(e, { bucket, key, action: 'read', browser: inBrowser });
  }
}

/** The `.npy` header facts of an S3 object, from ranged GETs of its first bytes only. */
export async function readRemoteArrayInfo(client: S3Client, bucket: string, key: string, size?: number, signal?: AbortSignal): Promise<ArrayInfo> {
  const src = size === undefined ? await openS3Source(client, bucket, key, signal) : s3ByteSource(client, bucket, key, size, signal);
  return await readArrayInfo(src);
}

/** Downloads a whole (small) object as bytes. */
export async function getObjectBytes(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return await res.Body!.transformToByteArray();
  } catch (e) {
    throw s3Error(e, { bucket, key, action: 'read', browser: inBrowser });
  }
}

/** Downloads and parses a JSON object (with a clear error for invalid JSON). */
export async function getObjectJson(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<unknown> {
  const text = new TextDecoder().decode(await getObjectBytes(client, bucket, key, signal));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WorkbenchError('BAD_METADATA', `s3://${bucket}/${key} is not valid JSON (${(e as Error).message}).`, key);
  }
}
