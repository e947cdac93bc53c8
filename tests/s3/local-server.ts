// Test helper: a real s3rver + loopback Cognito on free loopback ports in a fresh temp folder.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServices, type LocalServices, type LocalServicesOptions } from '../../src/server/local-services';
import type { DeploymentConfig } from '../../src/s3/config';

export interface TestServer extends LocalServices {
  dataDir: string;
  config: DeploymentConfig;
  /** Stops the servers and deletes the folder. */
  dispose(): Promise<void>;
}

export async function startTestServer(opts: Partial<LocalServicesOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'prospect-s3-')));
  const s = await startLocalServices({ corsOrigins: ['http://127.0.0.1:5173'], ...opts, dataDir });
  const config: DeploymentConfig = {
    region: s.region,
    bucket: s.bucket,
    identityPoolId: s.identityPoolId,
    endpoint: s.s3Endpoint,
    cognitoEndpoint: s.cognitoEndpoint,
    forcePathStyle: true,
  };
  return {
    ...s,
    dataDir,
    config,
    async dispose() {
      await s.stop();
      if (!opts.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
