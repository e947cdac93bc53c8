/**
 * The three ways the workbench gets S3 credentials — all kept in memory only:
 *  - `aws`:   a Cognito identity pool (unauthenticated identities) through `fromCognitoIdentityPool`;
 *  - `local`: the embedded s3rver, also through the loopback Cognito endpoint, so the same code runs;
 *  - `keys`:  temporary access keys typed in (development) or read from `AWS_*` variables by the CLI.
 * The provider itself goes to the S3 client (never a snapshot), so credentials refresh before expiry.
 */
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { WorkbenchError } from '../core/errors';
import { isAwsEndpoint, normalizePrefix, type DeploymentConfig } from './config';

export type ConnectionKind = 'aws' | 'local' | 'keys';

/** Everything needed to build an S3 client for one deployment. */
export interface S3Connection {
  kind: ConnectionKind;
  region: string;
  bucket: string;
  /** Normalized: '' or ending in '/'. */
  prefix: string;
  endpoint?: string;
  forcePathStyle: boolean;
  credentials: AwsCredentialIdentityProvider;
}

/** Access keys typed in or taken from the environment. */
export interface AccessKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A connection through a Cognito identity pool (AWS, or the loopback endpoint when configured). */
export function cognitoConnection(config: DeploymentConfig): S3Connection {
  if (!config.identityPoolId) {
    throw new WorkbenchError('BAD_SETTING', `The deployment of bucket ${config.bucket} has no identityPoolId: add one to config.json or type in access keys.`);
  }
  const credentials = fromCognitoIdentityPool({
    identityPoolId: config.identityPoolId,
    clientConfig: { region: config.region, ...(config.cognitoEndpoint ? { endpoint: config.cognitoEndpoint } : {}) },
  });
  return {
    kind: isAwsEndpoint(config.endpoint) && !config.cognitoEndpoint ? 'aws' : 'local',
    region: config.region,
    bucket: config.bucket,
    prefix: normalizePrefix(config.prefix),
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? !isAwsEndpoint(config.endpoint),
    credentials,
  };
}

/** A connection with fixed access keys (memory only; the caller must never persist `keys`). */
export function keysConnection(config: DeploymentConfig, keys: AccessKeys): S3Connection {
  const accessKeyId = keys.accessKeyId.trim();
  const secretAccessKey = keys.secretAccessKey.trim();
  if (!accessKeyId || !secretAccessKey) {
    throw new WorkbenchError('BAD_SETTING', `Access keys for bucket ${config.bucket} need both an access key id and a secret access key.`);
  }
  const identity: AwsCredentialIdentity = {
    accessKeyId,
    secretAccessKey,
    ...(keys.sessionToken?.trim() ? { sessionToken: keys.sessionToken.trim() } : {}),
  };
  return {
    kind: 'keys',
    region: config.region,
    bucket: config.bucket,
    prefix: normalizePrefix(config.prefix),
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? !isAwsEndpoint(config.endpoint),
    credentials: async () => identity,
  };
}

/** The connection a config calls for: Cognito when it names an identity pool, else the given keys. */
export function connectionFor(config: DeploymentConfig, keys?: AccessKeys): S3Connection {
  if (keys) return keysConnection(config, keys);
  return cognitoConnection(config);
}
