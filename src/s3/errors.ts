/**
 * Maps AWS SDK / network failures to WorkbenchError S3_* codes with one sentence that names the bucket
 * (and key) and says what to do. The SDK error `name` is the S3 error code.
 */
import { WorkbenchError, isAbortError } from '../core/errors';

export interface S3ErrorContext {
  bucket: string;
  key?: string;
  /** What was being done, e.g. 'list', 'upload', 'read'. */
  action?: string;
  /** True in a browser: network failures there are most often CORS. */
  browser?: boolean;
}

const where = (ctx: S3ErrorContext) => (ctx.key ? `s3://${ctx.bucket}/${ctx.key}` : `bucket ${ctx.bucket}`);

function errorName(e: unknown): string {
  if (typeof e !== 'object' || e === null) return '';
  const o = e as { name?: string; Code?: string; code?: string };
  return o.Code ?? o.name ?? o.code ?? '';
}

function httpStatus(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Converts any thrown value from an S3 call into a WorkbenchError (AbortErrors pass through). */
export function s3Error(e: unknown, ctx: S3ErrorContext): Error {
  if (e instanceof WorkbenchError || isAbortError(e)) return e as Error;
  const name = errorName(e);
  const message = e instanceof Error ? e.message : String(e);
  const at = where(ctx);
  const doing = ctx.action ? ` (${ctx.action})` : '';
  switch (name) {
    case 'InvalidAccessKeyId':
    case 'UnrecognizedClientException':
      return new WorkbenchError('S3_ACCESS_DENIED', `Access denied to ${at}${doing}: the access key id is unknown to this S3 endpoint — check the key, the endpoint and the region.`, ctx.key);
    case 'SignatureDoesNotMatch':
      return new WorkbenchError('S3_ACCESS_DENIED', `Access denied to ${at}${doing}: the request signature does not match — re-enter the secret access key (no spaces) and check the region.`, ctx.key);
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
    case 'RequestExpired':
      return new WorkbenchError('S3_EXPIRED', `The credentials for ${at} have expired${doing}: reconnect (Cognito credentials refresh by themselves; typed-in temporary keys must be renewed) and check the computer's clock.`, ctx.key);
    case 'AccessDenied':
    case 'AllAccessDisabled':
    case 'Forbidden':
      if (ctx.action === 'list') {
        return new WorkbenchError('S3_ACCESS_DENIED', `Access denied listing ${at}: the role lacks s3:ListBucket on this prefix — add it (see deploy/iam-policy.json).`, ctx.key);
      }
      return new WorkbenchError('S3_ACCESS_DENIED', `Access denied to ${at}${doing}: the role's IAM policy does not allow this action on this key — see deploy/iam-policy.json (writes are only allowed under PREFIX/data/).`, ctx.key);
    case 'NoSuchBucket':
      return new WorkbenchError('S3_NO_SUCH_BUCKET', `The bucket ${ctx.bucket} does not exist at this endpoint/region — check the bucket name and region in config.json.`);
    case 'NoSuchKey':
    case 'NotFound':
      if (httpStatus(e) === 404 || name === 'NoSuchKey') {
        return new WorkbenchError('S3_ERROR', `${at} does not exist.`, ctx.key);
      }
      break;
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
      return new WorkbenchError('S3_ERROR', `The bucket ${ctx.bucket} is in another region than the one configured${doing} — set "region" to the bucket's region.`);
  }
  if (/missing ETag|ETag.*(missing|undefined)/i.test(message)) {
    return new WorkbenchError('S3_CORS', `The upload to ${at} could not read the ETag header: the bucket CORS rule must expose ETag — apply deploy/cors.json.`, ctx.key);
  }
  if (e instanceof TypeError || /Failed to fetch|NetworkError|ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|socket hang up|fetch failed/i.test(message) || name === 'TimeoutError') {
    if (ctx.browser) {
      return new WorkbenchError('S3_NETWORK', `${at} could not be reached${doing}: the network is down, the endpoint is wrong, or the bucket CORS rule does not allow this page's origin — apply deploy/cors.json with this origin.`, ctx.key);
    }
    return new WorkbenchError('S3_NETWORK', `${at} could not be reached${doing} (${message}): check the endpoint URL and the network.`, ctx.key);
  }
  const status = httpStatus(e);
  if (status === 403) {
    return new WorkbenchError('S3_ACCESS_DENIED', `Access denied to ${at}${doing} (HTTP 403): check the IAM policy and credentials.`, ctx.key);
  }
  return new WorkbenchError('S3_ERROR', `S3 error on ${at}${doing}: ${name ? name + ': ' : ''}${message}`, ctx.key);
}

/** Runs `fn`, converting failures with `s3Error`. */
export async function withS3Errors<T>(ctx: S3ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw s3Error(e, ctx);
  }
}

/** True in a browser or worker (where network errors are often CORS). */
export const inBrowser = typeof (globalThis as { document?: unknown; WorkerGlobalScope?: unknown }).document !== 'undefined' || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
