import type { DeploymentConfig } from '../s3/config';
import type { LocalServices } from './local-services';

/** The config.json the page gets when served next to the local services (Cognito path, path-style). */
export function localDeploymentConfig(s: Pick<LocalServices, 'region' | 'bucket' | 'identityPoolId' | 's3Endpoint' | 'cognitoEndpoint'>): DeploymentConfig {
  return {
    region: s.region,
    bucket: s.bucket,
    prefix: '',
    identityPoolId: s.identityPoolId,
    endpoint: s.s3Endpoint,
    cognitoEndpoint: s.cognitoEndpoint,
    forcePathStyle: true,
  };
}
