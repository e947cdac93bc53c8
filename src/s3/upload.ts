/**
 * Verified, resumable-by-rerun uploads of many files (runs in a Web Worker or in Node).
 *
 * Per file: SHA-256 computed locally by the WASM kernel (unless given) → HeadObject: an object with the
 * same size and recorded SHA-256 is skipped, a different one is only overwritten when `confirmOverwrite`
 * says yes (else skipped and reported as a conflict) → multipart upload with @aws-sdk/lib-storage, the
 * hash stored as `x-amz-meta-sha256` → HeadObject verifies size and recorded hash → optionally the
 * object is downloaded and hashed again. So a re-run after an interruption sends only what is missing.
 *
 * Retries: every request (each UploadPart included) goes through the SDK's standard retry strategy
 * (S3_MAX_ATTEMPTS attempts, exponential back-off with jitter). Retried: connection resets/refusals,
 * timeouts, browser "Failed to fetch" network errors, HTTP 5xx, throttling (429/503 SlowDown) and
 * clock-skew errors. Not retried: 4xx client errors such as AccessDenied, InvalidAccessKeyId,
 * SignatureDoesNotMatch, ExpiredToken, NoSuchBucket — retrying cannot fix them. Parts are buffered by
 * lib-storage (≤ queueSize × partSize bytes per file), so a retried part is re-sent from memory.
 *
 * On AWS the SDK's default CRC32 checksums also protect every part in transit; against non-AWS
 * endpoints they are off (see client.ts) and the SHA-256 check after upload is the integrity guard.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { WorkbenchError, abortError, isAbortError, throwIfAborted } from '../core/errors';
import { blobSource, type ByteSource } from '../core/source';
import { createSha256, sha256Source } from '../engine/sha256';
import { inBrowser, s3Error } from './errors';

const MiB = 1024 * 1024;
/** S3's minimum part size (all parts but the last). */
export const MIN_PART_BYTES = 5 * MiB;
/** Default part size: few enough requests, small enough that a retried part costs little. */
export const DEFAULT_PART_BYTES = 8 * MiB;
/** Parts of one file in flight at once (lib-storage queueSize). */
export const DEFAULT_PARTS_IN_FLIGHT = 4;
/** Files uploaded at once. */
export const DEFAULT_FILE_CONCURRENCY = 2;
/** Window read from a source when it is streamed into the upload body. */
const STREAM_WINDOW_BYTES = 4 * MiB;

/** One file to upload. */
export interface UploadItem {
  /** Full object key (prefix included). */
  key: string;
  size: number;
  /** Opens the content: a ByteSource (Node files, OPFS) or a Blob/File. Called at most twice. */
  open(): ByteSource | Blob | Promise<ByteSource | Blob>;
  /** Hex SHA-256 if already known (e.g. hashed while it was written); else computed here. */
  sha256?: string;
  contentType?: string;
}

export type FileState = 'waiting' | 'hashing' | 'checking' | 'uploading' | 'verifying' | 'uploaded' | 'skipped' | 'conflict' | 'failed';

export interface FileProgress {
  key: string;
  size: number;
  /** Bytes of this file sent so far (or hashed, while hashing). */
  done: number;
  state: FileState;
}

export interface UploadProgress {
  files: FileProgress[];
  /** Bytes sent over all files (skipped files do not count). */
  sentBytes: number;
  /** Bytes that will be sent if nothing more is skipped. */
  totalBytes: number;
  /** Average throughput since the first byte was sent, MB/s (10^6 bytes). */
  megabytesPerSecond: number;
  /** Estimated seconds left, or null before anything was sent. */
  etaSeconds: number | null;
}

/** What is known about an existing object, given to `confirmOverwrite`. */
export interface ExistingObject {
  size: number;
  sha256?: string;
  lastModified?: Date;
}

export interface UploadOptions {
  concurrency?: number;
  partSize?: number;
  partsInFlight?: number;
  onProgress?(p: UploadProgress): void;
  signal?: AbortSignal;
  /** Asked when a different object exists at the key; absent → never overwrite (reported as conflict). */
  confirmOverwrite?(key: string, existing: ExistingObject, local: { size: number; sha256: string }): boolean | Promise<boolean>;
  /** Download every uploaded object again and compare its SHA-256 (slow; doubles the traffic). */
  verifyByDownload?: boolean;
}

export type UploadStatus = 'uploaded' | 'skipped-identical' | 'skipped-conflict' | 'failed';

export interface UploadFileResult {
  key: string;
  size: number;
  sha256: string;
  status: UploadStatus;
  /** True when size and recorded SHA-256 were confirmed by HeadObject (and the download, if asked). */
  verified: boolean;
  /** Set for 'failed' (and for conflicts: what was found). */
  error?: { code: string; message: string };
}

export interface UploadReport {
  files: UploadFileResult[];
  sentBytes: number;
  seconds: number;
  /** True when every file is uploaded or identical and verified. */
  ok: boolean;
}

/** The metadata key the SHA-256 is stored under (`x-amz-meta-sha256`). */
export const SHA256_METADATA_KEY = 'sha256';

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== 'undefined' && x instanceof Blob;
}

function asSource(x: ByteSource | Blob, name: string): ByteSource {
  return isBlob(x) ? blobSource(x, name) : x;
}

/** A web ReadableStream over a ByteSource, read window by window as lib-storage pulls. */
function sourceStream(src: ByteSource, onRead?: (n: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (offset >= src.size) {
        controller.close();
        return;
      }
      const bytes = await src.read(offset, Math.min(STREAM_WINDOW_BYTES, src.size - offset));
      if (bytes.byteLength === 0) {
        controller.error(new WorkbenchError('IO_ERROR', `${src.name} ended at byte ${offset} of ${src.size}.`, src.name));
        return;
      }
      offset += bytes.byteLength;
      onRead?.(bytes.byteLength);
      // A copy: lib-storage keeps references to the chunks while parts are in flight.
      controller.enqueue(bytes.slice());
    },
  });
}

function contentTypeFor(key: string): string {
  if (/\.json$/i.test(key)) return 'application/json';
  return 'application/octet-stream';
}

/** HeadObject that resolves `null` for a missing object. */
export async function headExisting(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<ExistingObject | null> {
  try {
    const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return { size: h.ContentLength ?? 0, sha256: h.Metadata?.[SHA256_METADATA_KEY], lastModified: h.LastModified };
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (e as { name?: string }).name === 'NotFound' || (e as { name?: string }).name === 'NoSuchKey') return null;
    // On AWS a HEAD of a missing key answers 403 (not 404) unless s3:ListBucket is granted without a
    // prefix condition; our least-privilege policy grants it only on PREFIX/data/*, so ask the listing.
    if (status === 403) {
      let listed: boolean;
      try {
        listed = await keyListed(client, bucket, key, signal);
      } catch (listError) {
        // The listing's error names the real cause (a HEAD response has no body to say it).
        throw s3Error(listError, { bucket, key, action: 'check', browser: inBrowser });
      }
      if (!listed) return null;
    }
    throw s3Error(e, { bucket, key, action: 'check', browser: inBrowser });
  }
}

async function keyListed(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<boolean> {
  const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }), { abortSignal: signal });
  return (res.Contents ?? []).some((o) => o.Key === key);
}

/** Downloads an object and returns its hex SHA-256 (verify-by-download). */
export async function sha256OfObject(client: S3Client, bucket: string, key: string, signal?: AbortSignal): Promise<string> {
  const hasher = await createSha256();
  try {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    const body = res.Body as { transformToWebStream(): ReadableStream<Uint8Array> };
    const reader = body.transformToWebStream().getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      hasher.update(value);
    }
  } catch (e) {
    throw s3Error(e, { bucket, key, action: 'download', browser: inBrowser });
  }
  return hasher.digestHex();
}

/** Uploads `items` to `bucket`; resolves with one result per item (failures are reported, not thrown). */
export async function uploadFiles(client: S3Client, bucket: string, items: UploadItem[], opts: UploadOptions = {}): Promise<UploadReport> {
  const partSize = Math.max(MIN_PART_BYTES, opts.partSize ?? DEFAULT_PART_BYTES);
  const partsInFlight = Math.max(1, opts.partsInFlight ?? DEFAULT_PARTS_IN_FLIGHT);
  const concurrency = Math.max(1, opts.concurrency ?? DEFAULT_FILE_CONCURRENCY);
  const started = Date.now();
  const files: FileProgress[] = items.map((it) => ({ key: it.key, size: it.size, done: 0, state: 'waiting' }));
  const sent = new Array<number>(items.length).fill(0);
  const skippedBytes = new Array<number>(items.length).fill(0);
  let firstByteAt = 0;
  let lastEmit = 0;
  const totalAll = items.reduce((a, it) => a + it.size, 0);

  const emit = (force = false) => {
    if (!opts.onProgress) return;
    const now = Date.now();
    if (!force && now - lastEmit < 100) return;
    lastEmit = now;
    const sentBytes = sent.reduce((a, b) => a + b, 0);
    const totalBytes = totalAll - skippedBytes.reduce((a, b) => a + b, 0);
    const seconds = firstByteAt ? (now - firstByteAt) / 1000 : 0;
    const rate = seconds > 0 ? sentBytes / seconds : 0;
    opts.onProgress({
      files: files.map((f) => ({ ...f })),
      sentBytes,
      totalBytes,
      megabytesPerSecond: rate / 1e6,
      etaSeconds: rate > 0 ? Math.max(0, (totalBytes - sentBytes) / rate) : null,
    });
  };

  const results: UploadFileResult[] = new Array(items.length);

  const uploadOne = async (i: number): Promise<void> => {
    const item = items[i]!;
    const fp = files[i]!;
    const ctx = { bucket, key: item.key, action: 'upload', browser: inBrowser };
    let sha256 = item.sha256?.toLowerCase() ?? '';
    try {
      throwIfAborted(opts.signal, `The upload of ${item.key}`);
      if (!sha256) {
        fp.state = 'hashing';
        emit(true);
        const src = asSource(await item.open(), item.key);
        try {
          sha256 = await sha256Source(src, {
            signal: opts.signal,
            onProgress: (p) => {
              fp.done = p.done;
              emit();
            },
          });
        } finally {
          await src.close?.();
        }
      }
      fp.state = 'checking';
      fp.done = 0;
      emit(true);
      const existing = await headExisting(client, bucket, item.key, opts.signal);
      if (existing) {
        if (existing.size === item.size && existing.sha256 === sha256) {
          fp.state = 'skipped';
          skippedBytes[i] = item.size;
          results[i] = { key: item.key, size: item.size, sha256, status: 'skipped-identical', verified: true };
          emit(true);
          return;
        }
        const overwrite = opts.confirmOverwrite ? await opts.confirmOverwrite(item.key, existing, { size: item.size, sha256 }) : false;
        if (!overwrite) {
          fp.state = 'conflict';
          skippedBytes[i] = item.size;
          const what = existing.sha256 ? `SHA-256 ${existing.sha256.slice(0, 12)}…` : 'no recorded SHA-256';
          results[i] = {
            key: item.key,
            size: item.size,
            sha256,
            status: 'skipped-conflict',
            verified: false,
            error: {
              code: 'S3_CONFLICT',
              message: `s3://${bucket}/${item.key} already exists with different content (${existing.size} bytes, ${what}); it was not overwritten.`,
            },
          };
          emit(true);
          return;
        }
      }

      fp.state = 'uploading';
      emit(true);
      const content = await item.open();
      const src = isBlob(content) ? null : content;
      const upload = new Upload({
        client,
        queueSize: partsInFlight,
        partSize,
        leavePartsOnError: false,
        params: {
          Bucket: bucket,
          Key: item.key,
          Body: isBlob(content) ? content : sourceStream(content),
          ContentType: item.contentType ?? contentTypeFor(item.key),
          Metadata: { [SHA256_METADATA_KEY]: sha256 },
        },
      });
      upload.on('httpUploadProgress', (p) => {
        if (!firstByteAt) firstByteAt = Date.now();
        sent[i] = Math.min(item.size, p.loaded ?? 0);
        fp.done = sent[i]!;
        emit();
      });
      const onAbort = () => void upload.abort().catch(() => {});
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await upload.done();
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
        await src?.close?.();
      }
      if (opts.signal?.aborted) throw abortError(`The upload of ${item.key}`);
      sent[i] = item.size;
      fp.done = item.size;

      fp.state = 'verifying';
      emit(true);
      const head = await headExisting(client, bucket, item.key, opts.signal);
      if (!head || head.size !== item.size || head.sha256 !== sha256) {
        throw new WorkbenchError(
          'S3_ERROR',
          `s3://${bucket}/${item.key} did not verify after upload: expected ${item.size} bytes with SHA-256 ${sha256.slice(0, 12)}…, found ${head ? `${head.size} bytes with ${head.sha256 ? `SHA-256 ${head.sha256.slice(0, 12)}…` : 'no SHA-256'}` : 'no object'}.`,
          item.key,
        );
      }
      if (opts.verifyByDownload) {
        const got = await sha256OfObject(client, bucket, item.key, opts.signal);
        if (got !== sha256) {
          throw new WorkbenchError('S3_ERROR', `s3://${bucket}/${item.key} was stored corrupted: its downloaded SHA-256 ${got.slice(0, 12)}… differs from the local ${sha256.slice(0, 12)}….`, item.key);
        }
      }
      fp.state = 'uploaded';
      results[i] = { key: item.key, size: item.size, sha256, status: 'uploaded', verified: true };
      emit(true);
    } catch (e) {
      if (isAbortError(e) || opts.signal?.aborted) throw abortError('The upload');
      const err = s3Error(e, ctx);
      fp.state = 'failed';
      results[i] = {
        key: item.key,
        size: item.size,
        sha256,
        status: 'failed',
        verified: false,
        error: { code: err instanceof WorkbenchError ? err.code : 'S3_ERROR', message: err.message },
      };
      emit(true);
    }
  };

  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await uploadOne(i);
    }
  });
  await Promise.all(runners);
  emit(true);
  const sentBytes = sent.reduce((a, b) => a + b, 0);
  return {
    files: results,
    sentBytes,
    seconds: (Date.now() - started) / 1000,
    ok: results.every((r) => r.status === 'uploaded' || r.status === 'skipped-identical'),
  };
}
