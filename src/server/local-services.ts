/**
 * The embedded default back end: an S3-compatible server (s3rver) on loopback with one bucket and a
 * CORS rule for the page's origins, its objects kept in `dataDir` so nothing is lost across restarts,
 * plus the loopback Cognito identity endpoint so the page takes the same credential path as on AWS.
 * Node only (used by `npm start`, `prospect serve` and the tests).
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { startCognitoLoopback } from './cognito-loopback';
import { fixS3rverListing } from './s3rver-fixes';
import { LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY, LOCAL_REGION, S3_EXPOSED_HEADERS } from '../s3/config';

/** The pool id the loopback Cognito endpoint answers to (same `region:uuid` form as a real one). */
export const LOCAL_IDENTITY_POOL_ID = `${LOCAL_REGION}:00000000-0000-4000-8000-00000000c0de`;

export interface LocalServicesOptions {
  host?: string;
  /** 0 or absent: a free port. */
  s3Port?: number;
  cognitoPort?: number;
  /** Where s3rver keeps buckets and objects. */
  dataDir: string;
  bucket?: string;
  /** Exact page origins allowed by the bucket CORS rule (`localhost` ≠ `127.0.0.1`). */
  corsOrigins: string[];
  /** Lifetime of handed-out credentials (tests of expiry); default one hour. */
  credentialSeconds?: number;
}

export interface LocalServices {
  s3Endpoint: string;
  cognitoEndpoint: string;
  identityPoolId: string;
  region: string;
  bucket: string;
  /** Requests served by the Cognito endpoint, by action (tests check the Cognito path ran). */
  cognitoCalls: Record<string, number>;
  stop(): Promise<void>;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The bucket CORS rule as the XML s3rver takes (same content as deploy/cors.json). */
export function corsXml(origins: string[]): string {
  const allowed = origins.length > 0 ? origins : ['*'];
  return [
    '<CORSConfiguration><CORSRule>',
    ...allowed.map((o) => `<AllowedOrigin>${xmlEscape(o)}</AllowedOrigin>`),
    ...['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].map((m) => `<AllowedMethod>${m}</AllowedMethod>`),
    '<AllowedHeader>*</AllowedHeader>',
    ...S3_EXPOSED_HEADERS.map((h) => `<ExposeHeader>${h}</ExposeHeader>`),
    '<MaxAgeSeconds>3000</MaxAgeSeconds>',
    '</CORSRule></CORSConfiguration>',
  ].join('');
}

/** Starts s3rver and the loopback Cognito endpoint; `stop()` closes both. */
export async function startLocalServices(opts: LocalServicesOptions): Promise<LocalServices> {
  const host = opts.host ?? '127.0.0.1';
  const bucket = opts.bucket ?? 'workbench';
  await mkdir(opts.dataDir, { recursive: true });
  const s3 = new S3rver({
    address: host,
    port: opts.s3Port ?? 0,
    directory: opts.dataDir,
    silent: true,
    // Path-style only: virtual-host buckets would need DNS names for the bucket on loopback.
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [corsXml(opts.corsOrigins)] }],
  });
  fixS3rverListing(s3);
  const address: AddressInfo = await s3.run();
  let cognito;
  try {
    cognito = await startCognitoLoopback({
      host,
      port: opts.cognitoPort ?? 0,
      identityPoolId: LOCAL_IDENTITY_POOL_ID,
      accessKeyId: LOCAL_ACCESS_KEY_ID,
      secretAccessKey: LOCAL_SECRET_ACCESS_KEY,
      credentialSeconds: opts.credentialSeconds,
    });
  } catch (e) {
    await s3.close();
    throw e;
  }
  return {
    s3Endpoint: `http://${host}:${address.port}`,
    cognitoEndpoint: cognito.endpoint,
    identityPoolId: LOCAL_IDENTITY_POOL_ID,
    region: LOCAL_REGION,
    bucket,
    cognitoCalls: cognito.calls,
    async stop() {
      await Promise.all([s3.close(), cognito.stop()]);
    },
  };
}
