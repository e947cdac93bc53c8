/**
 * One place where S3 clients are built, so every caller gets the same checksum, path-style and retry
 * behaviour whatever the connection kind.
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { isAwsEndpoint } from './config';
import type { S3Connection } from './credentials';

/** Attempts per request (SDK standard retry strategy: throttling, 5xx, timeouts, connection resets). */
export const S3_MAX_ATTEMPTS = 5;

/** Builds the S3 client for a connection; `overrides` lets tests inject e.g. a request handler. */
export function makeS3Client(conn: S3Connection, overrides: Partial<S3ClientConfig> = {}): S3Client {
  const aws = isAwsEndpoint(conn.endpoint);
  return new S3Client({
    region: conn.region,
    credentials: conn.credentials,
    maxAttempts: S3_MAX_ATTEMPTS,
    ...(conn.endpoint ? { endpoint: conn.endpoint } : {}),
    forcePathStyle: conn.forcePathStyle,
    // SDK ≥ 3.729 adds CRC32 checksums (aws-chunked bodies) to every upload; s3rver and other non-AWS
    // servers store the framing inside the object. Only compute/validate checksums when an operation
    // requires it there. On AWS the defaults stay (the bucket CORS exposes the checksum headers).
    ...(aws ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    ...overrides,
  });
}

/** The full key of `relative` under the connection's prefix. */
export function keyFor(conn: Pick<S3Connection, 'prefix'>, relative: string): string {
  return conn.prefix + relative.replace(/^\/+/, '');
}
