/**
 * Two s3rver 3.7 listing bugs that break the bucket browser, fixed in front of its router:
 *  1. ListObjectsV2 continuation tokens are DES-encrypted, and OpenSSL 3 (Node ≥ 17) has no DES, so any
 *     listing past 1,000 keys fails with InternalError. V2 requests are answered through s3rver's V1
 *     path (markers) and converted back, with our own opaque tokens (base64url of the last entry).
 *  2. With a delimiter, a common prefix that holds only sub-folders (e.g. `experiments/` over
 *     `experiments/a/config.json`) is never reported: its walk prunes them. The store's listObjects is
 *     replaced by one that lists every key under the prefix and rolls them up like S3.
 * Authentication, CORS and everything else still run through s3rver unchanged.
 */
import type S3rver from 's3rver';

interface StoreObject {
  key: string;
}
interface ListResult<T> {
  objects: T[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface ListOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}
interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

const encodeToken = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const decodeToken = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/** S3's listing semantics over a full, sorted key list. */
export function rollUpListing<T extends StoreObject>(all: T[], opts: ListOptions): ListResult<T> {
  const prefix = opts.prefix ?? '';
  const startAfter = opts.startAfter ?? '';
  const delimiter = opts.delimiter ?? '';
  const maxKeys = opts.maxKeys ?? 1000;
  const objects: T[] = [];
  const prefixes: string[] = [];
  let count = 0;
  let isTruncated = false;
  for (const o of [...all].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (!o.key.startsWith(prefix) || o.key <= startAfter) continue;
    let common: string | null = null;
    if (delimiter) {
      const idx = o.key.indexOf(delimiter, prefix.length);
      if (idx !== -1) common = o.key.slice(0, idx + delimiter.length);
    }
    if (common !== null) {
      // A continuation right after a common prefix must not report it again.
      if (common <= startAfter || startAfter.startsWith(common) || prefixes[prefixes.length - 1] === common) continue;
      if (count >= maxKeys) {
        isTruncated = true;
        break;
      }
      prefixes.push(common);
    } else {
      if (count >= maxKeys) {
        isTruncated = true;
        break;
      }
      objects.push(o);
    }
    count++;
  }
  return { objects, commonPrefixes: prefixes, isTruncated };
}

/** Installs both fixes on an s3rver instance (call before `run()`). */
export function fixS3rverListing(server: S3rver): void {
  const app = server as unknown as {
    store: { listObjects(bucket: string, options: ListOptions): Promise<ListResult<StoreObject>> };
    middleware: Middleware[];
  };
  const original = app.store.listObjects.bind(app.store);
  app.store.listObjects = async (bucket, options) => {
    const all = await original(bucket, { prefix: options.prefix, maxKeys: Infinity });
    return rollUpListing(all.objects, options);
  };

  const v2ViaV1: Middleware = async (ctx, next) => {
    const isBucketGet = ctx.method === 'GET' && /^\/[^/]+\/?$/.test(ctx.path);
    if (!isBucketGet || ctx.query['list-type'] !== '2') return next();
    const q = { ...ctx.query };
    const token = q['continuation-token'];
    const startAfter = q['start-after'];
    delete q['list-type'];
    delete q['continuation-token'];
    delete q['start-after'];
    const marker = token ? decodeToken(token) : startAfter;
    if (marker) q.marker = marker;
    ctx.query = q;
    await next();
    const body = ctx.body as { ListBucketResult?: Record<string, unknown> } | undefined;
    const r = body?.ListBucketResult;
    if (!r) return;
    const contents = (r.Contents as { Key: string }[] | undefined) ?? [];
    const common = (r.CommonPrefixes as { Prefix: string }[] | undefined) ?? [];
    const lastKey = contents.length ? contents[contents.length - 1]!.Key : '';
    const lastPrefix = common.length ? common[common.length - 1]!.Prefix : '';
    const last = lastKey > lastPrefix ? lastKey : lastPrefix;
    delete r.Marker;
    delete r.NextMarker;
    if (token) r.ContinuationToken = token;
    else if (startAfter) r.StartAfter = startAfter;
    if (r.IsTruncated) r.NextContinuationToken = encodeToken(last);
    r.KeyCount = contents.length + common.length;
  };
  // Just before the router (the last middleware), after the XML encoder: ctx.body is still an object.
  app.middleware.splice(app.middleware.length - 1, 0, v2ViaV1);
}
