/**
 * From a connection snapshot (settings + keys) to an S3 connection, client, bucket and prefix. Used by
 * the page's panels and by the upload worker, so it touches no DOM. Sessions are cached per snapshot:
 * Cognito's GetId / GetCredentialsForIdentity run once, and the provider refreshes credentials itself.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { WorkbenchError } from '../../../core/errors';
import type { S3Connection } from '../../../s3/credentials';
import type { ConnectionSnapshot } from './store';
import { connectFor } from '../core-bridge';

/** One connected bucket. */
export interface S3Session {
  connection: S3Connection;
  client: S3Client;
  bucket: string;
  /** As the core keeps it: '' for the bucket root, else ending in exactly one `/`. */
  prefix: string;
}

const sessions = new Map<string, S3Session>();

/** What is missing before a connection can be tried, as one sentence; undefined when complete. */
export function missingSetting(snap: ConnectionSnapshot): string | undefined {
  const s = snap.settings;
  if (!s.bucket) return 'Enter the bucket name in the connection panel.';
  if (!s.region) return 'Enter the region in the connection panel (for the local server any region works, e.g. us-east-1).';
  if ((s.kind === 'aws' || s.kind === 'local') && !s.identityPoolId) return 'Enter the Cognito identity pool id in the connection panel.';
  if (s.kind === 'local' && (!s.endpoint || !s.cognitoEndpoint)) return 'Enter the local S3 and Cognito endpoints in the connection panel (npm start prints them).';
  if (s.kind === 'keys' && !snap.keys) return 'Enter the access key id and secret access key in the connection panel.';
  return undefined;
}

/** The session for a snapshot (cached); throws a WorkbenchError naming the missing setting. */
export function sessionFor(snap: ConnectionSnapshot): S3Session {
  const missing = missingSetting(snap);
  if (missing) throw new WorkbenchError('BAD_SETTING', missing);
  const cacheKey = JSON.stringify(snap);
  let session = sessions.get(cacheKey);
  if (!session) {
    const { connection, client } = connectFor(snap);
    session = { connection, client, bucket: connection.bucket, prefix: connection.prefix };
    sessions.set(cacheKey, session);
  }
  return session;
}

/** Forgets cached sessions (after a failed Cognito call, so "Test connection" asks again). */
export function forgetSessions(): void {
  sessions.clear();
}
