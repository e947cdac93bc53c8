/**
 * `prospect serve [--port N] [--s3-port N] [--cognito-port N] [--data-dir D] [--bucket B] [--seed DIR]`
 * Runs the local S3 server (objects kept in --data-dir) and the loopback Cognito endpoint, and serves
 * the built page (dist/) on --port with a generated config.json pointing at them. Ctrl-C stops.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, numberOption } from './args';
import { startLocalServices } from '../server/local-services';
import { serveStatic, type StaticServer } from '../server/static';
import { seedBucketFromDirectory } from '../server/seed';
import { localDeploymentConfig } from '../server/local-config';
import { cognitoConnection } from '../s3/credentials';
import { makeS3Client } from '../s3/client';

/** Runs `prospect serve` until SIGINT/SIGTERM (or `signal` in tests). */
export async function run(argv: string[], signal?: AbortSignal): Promise<number> {
  const args = parseArgs(argv, { values: ['port', 's3-port', 'cognito-port', 'data-dir', 'bucket', 'host', 'dist', 'seed'], flags: [] });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const host = args.values.get('host') ?? '127.0.0.1';
  const port = numberOption(args, 'port', 8080);
  const s3Port = numberOption(args, 's3-port', 4568);
  const distDir = resolve(args.values.get('dist') ?? 'dist');
  const dataDir = resolve(args.values.get('data-dir') ?? '.s3data');
  let page: StaticServer | null = null;
  let config: ReturnType<typeof localDeploymentConfig> | null = null;
  if (existsSync(resolve(distDir, 'index.html'))) page = await serveStatic(distDir, port, () => config, { host });
  const pagePort = page?.port ?? port;
  const services = await startLocalServices({
    host,
    s3Port,
    cognitoPort: numberOption(args, 'cognito-port', s3Port + 1),
    dataDir,
    bucket: args.values.get('bucket') ?? 'workbench',
    // Both spellings of loopback: origins must match exactly.
    corsOrigins: [`http://127.0.0.1:${pagePort}`, `http://localhost:${pagePort}`],
  });
  config = localDeploymentConfig(services);
  if (args.values.has('seed')) {
    const keys = await seedBucketFromDirectory(makeS3Client(cognitoConnection(config)), services.bucket, resolve(args.values.get('seed')!));
    process.stdout.write(`seeded ${keys.length} objects from ${args.values.get('seed')}\n`);
  }
  process.stdout.write(
    [
      `S3 endpoint        ${services.s3Endpoint}  (bucket ${services.bucket}, objects in ${dataDir})`,
      `Cognito endpoint   ${services.cognitoEndpoint}  (identity pool ${services.identityPoolId})`,
      page ? `page               ${page.url}` : `page               not served (${distDir}/index.html missing: run \`npm run build\`)`,
      `config.json        ${JSON.stringify(config)}`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await Promise.all([services.stop(), page?.stop()]);
  return 0;
}
