/**
 * The single place the S3 screens and the upload worker turn the connection panel's snapshot into the
 * S3 core's types (src/s3/): a DeploymentConfig, then an S3Connection and its client.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { validateDeploymentConfig, type DeploymentConfig } from '../../s3/config';
import { connectionFor, type S3Connection } from '../../s3/credentials';
import { makeS3Client } from '../../s3/client';
import type { ConnectionSnapshot } from './connection/store';
import { useWebCryptoSha256, WebCryptoSha256 } from './web-crypto-sha256';

/** The snapshot as the core's deployment config (keys mode has no identity pool; AWS has no endpoints). */
export function deploymentConfigOf(snap: ConnectionSnapshot): DeploymentConfig {
  const s = snap.settings;
  return {
    region: s.region,
    bucket: s.bucket,
    prefix: s.prefix,
    ...(s.kind !== 'keys' && s.identityPoolId ? { identityPoolId: s.identityPoolId } : {}),
    ...(s.kind !== 'aws' && s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.kind === 'local' && s.cognitoEndpoint ? { cognitoEndpoint: s.cognitoEndpoint } : {}),
  };
}

/** The core's connection and client for a snapshot (in a browser, with the WebCrypto signer hash). */
export function connectFor(snap: ConnectionSnapshot): { connection: S3Connection; client: S3Client } {
  // The same checks as config.json, so a typo in the panel gets the same one-sentence answer.
  const config = validateDeploymentConfig(deploymentConfigOf(snap), 'Connection settings');
  const connection = connectionFor(config, snap.settings.kind === 'keys' ? snap.keys : undefined);
  return { connection, client: makeS3Client(connection, useWebCryptoSha256() ? { sha256: WebCryptoSha256 } : {}) };
}
