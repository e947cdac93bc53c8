/**
 * Deployment settings: which bucket, region and identity pool the page talks to. A hosted build reads
 * them from a `config.json` beside `index.html`, so one build serves many deployments. Nothing here is
 * secret (identity-pool ids and bucket names are public by design); secrets never enter this file.
 */
import { WorkbenchError } from '../core/errors';

/** The settings of one deployment (the shape of `config.json`). */
export interface DeploymentConfig {
  region: string;
  bucket: string;
  /** Key prefix under which `data/` and `experiments/` live ('' = bucket root). */
  prefix?: string;
  /** Cognito identity pool (`region:uuid`); absent when access keys are typed in. */
  identityPoolId?: string;
  /** S3 endpoint for non-AWS servers (the local s3rver, MinIO…); absent for AWS. */
  endpoint?: string;
  /** Cognito identity endpoint (the loopback one); absent for AWS. */
  cognitoEndpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`); needed for loopback servers. */
  forcePathStyle?: boolean;
}

/** The access key pair s3rver accepts by default (public, local only). */
export const LOCAL_ACCESS_KEY_ID = 'S3RVER';
export const LOCAL_SECRET_ACCESS_KEY = 'S3RVER';
export const LOCAL_REGION = 'us-east-1';

/**
 * Response headers the bucket CORS rule must expose to the page: `ETag` for multipart uploads (else
 * "missing ETag"), our SHA-256 metadata and the S3 checksum for verification, and the rest for the browser.
 */
export const S3_EXPOSED_HEADERS = [
  'ETag',
  'x-amz-meta-sha256',
  'x-amz-checksum-sha256',
  'x-amz-checksum-crc32',
  'x-amz-version-id',
  'x-amz-request-id',
  'Content-Length',
  'Content-Range',
  'Content-Type',
  'Last-Modified',
];

/** The file name looked up beside index.html. */
export const CONFIG_FILE_NAME = 'config.json';

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Bucket naming rules (3–63 chars, lowercase, digits, dots, hyphens; starts and ends alphanumeric).
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const POOL_RE = /^[a-z]{2}(-[a-z]+)+-\d+:[0-9a-f-]{36}$/;

function bad(source: string, what: string): WorkbenchError {
  return new WorkbenchError('BAD_SETTING', `${source}: ${what}`, source);
}

function checkUrl(source: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw bad(source, `"${field}" must be a URL string.`);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw bad(source, `"${field}" is not a valid URL: '${v}'.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad(source, `"${field}" must be an http(s) URL, got '${v}'.`);
  return v.replace(/\/+$/, '');
}

/** Normalizes a key prefix: no leading slash, '' or ending in exactly one '/'. */
export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '' ? '' : `${p}/`;
}

/** Validates parsed JSON as a DeploymentConfig; throws one sentence naming the field and the fix. */
export function validateDeploymentConfig(raw: unknown, source = CONFIG_FILE_NAME): DeploymentConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad(source, 'must be a JSON object.');
  const o = raw as Record<string, unknown>;
  const known = new Set(['region', 'bucket', 'prefix', 'identityPoolId', 'endpoint', 'cognitoEndpoint', 'forcePathStyle']);
  for (const k of Object.keys(o)) {
    if (!known.has(k)) throw bad(source, `unknown field "${k}" (expected ${[...known].join(', ')}).`);
  }
  if (typeof o.region !== 'string' || !REGION_RE.test(o.region)) {
    throw bad(source, `"region" must be an AWS region such as "eu-west-1", got ${JSON.stringify(o.region)}.`);
  }
  if (typeof o.bucket !== 'string' || !BUCKET_RE.test(o.bucket) || o.bucket.includes('..')) {
    throw bad(source, `"bucket" must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens), got ${JSON.stringify(o.bucket)}.`);
  }
  const config: DeploymentConfig = { region: o.region, bucket: o.bucket };
  if (o.prefix !== undefined) {
    if (typeof o.prefix !== 'string') throw bad(source, '"prefix" must be a string such as "team-a/".');
    config.prefix = normalizePrefix(o.prefix);
  }
  if (o.identityPoolId !== undefined) {
    if (typeof o.identityPoolId !== 'string' || !POOL_RE.test(o.identityPoolId)) {
      throw bad(source, `"identityPoolId" must look like "eu-west-1:1234abcd-…" (region:uuid), got ${JSON.stringify(o.identityPoolId)}.`);
    }
    if (o.identityPoolId.split(':')[0] !== o.region) {
      throw bad(source, `"identityPoolId" is in region ${o.identityPoolId.split(':')[0]} but "region" is ${o.region}.`);
    }
    config.identityPoolId = o.identityPoolId;
  }
  if (o.endpoint !== undefined) config.endpoint = checkUrl(source, 'endpoint', o.endpoint);
  if (o.cognitoEndpoint !== undefined) {
    config.cognitoEndpoint = checkUrl(source, 'cognitoEndpoint', o.cognitoEndpoint);
    if (!config.identityPoolId) throw bad(source, '"cognitoEndpoint" is set but "identityPoolId" is missing.');
  }
  if (o.forcePathStyle !== undefined) {
    if (typeof o.forcePathStyle !== 'boolean') throw bad(source, '"forcePathStyle" must be true or false.');
    config.forcePathStyle = o.forcePathStyle;
  }
  return config;
}

/** Parses and validates the text of a config.json. */
export function parseDeploymentConfig(text: string, source = CONFIG_FILE_NAME): DeploymentConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw bad(source, `is not valid JSON (${(e as Error).message}).`);
  }
  return validateDeploymentConfig(raw, source);
}

/**
 * Fetches `config.json` beside the page (`base` = the page URL). Resolves `null` when there is none
 * (HTTP 404): the page then offers typed-in keys or the local defaults.
 */
export async function loadDeploymentConfig(base: string | URL, fetchFn: typeof fetch = fetch): Promise<DeploymentConfig | null> {
  const url = new URL(CONFIG_FILE_NAME, base);
  let res: Response;
  try {
    res = await fetchFn(url, { cache: 'no-store' });
  } catch (e) {
    throw new WorkbenchError('S3_NETWORK', `${url.href} could not be fetched (${(e as Error).message}).`, url.href);
  }
  if (res.status === 404) return null;
  if (!res.ok) throw new WorkbenchError('BAD_SETTING', `${url.href} answered HTTP ${res.status}.`, url.href);
  return parseDeploymentConfig(await res.text(), url.href);
}

/** True for endpoints of AWS itself (no endpoint, or an amazonaws.com host): full checksum support. */
export function isAwsEndpoint(endpoint: string | undefined): boolean {
  if (!endpoint) return true;
  return /(^|\.)amazonaws\.com(\.cn)?$/.test(new URL(endpoint).hostname);
}

/** The origins the page may connect to for `config` (for the Content-Security-Policy connect-src). */
export function connectOrigins(config: DeploymentConfig): string[] {
  const out = new Set<string>();
  if (config.endpoint) out.add(new URL(config.endpoint).origin);
  else {
    // Virtual-hosted and path-style AWS URLs for this bucket and region.
    out.add(`https://${config.bucket}.s3.${config.region}.amazonaws.com`);
    out.add(`https://s3.${config.region}.amazonaws.com`);
  }
  if (config.identityPoolId) {
    out.add(config.cognitoEndpoint ? new URL(config.cognitoEndpoint).origin : `https://cognito-identity.${config.region}.amazonaws.com`);
  }
  return [...out];
}

/** A strict Content-Security-Policy for the page: connect-src only 'self' and the configured endpoints. */
export function contentSecurityPolicy(config: DeploymentConfig | null): string {
  const connect = ["'self'", ...(config ? connectOrigins(config) : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}
