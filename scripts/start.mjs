#!/usr/bin/env node
/**
 * `npm start`: builds the page and serves it on loopback together with the embedded S3 back end.
 *  1. `npm run build:wasm` when build/ lacks the kernels, then `vite build` (programmatic, no preview server);
 *  2. serves dist/ on 127.0.0.1 (port 5173 if free, else a free one; PORT=… to choose), answering
 *     /config.json with the local endpoints and sending the strict CSP (src/server/static.ts);
 *  3. starts s3rver + the loopback Cognito endpoint (src/server/local-services.ts), objects kept in
 *     .s3data/ (S3_DATA_DIR=… to change) so nothing is lost across restarts;
 *  4. prints the URL; Ctrl-C (or SIGTERM) stops everything.
 * Options: --no-build (serve the existing dist/), --port N, --s3-port N.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PORT = 5173;
const KERNELS = ['kernels.simd.wasm', 'kernels.scalar.wasm'];

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** True when `port` on 127.0.0.1 can be listened on. */
function portIsFree(port) {
  return new Promise((ok) => {
    const probe = createServer();
    probe.once('error', () => ok(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => ok(true)));
  });
}

async function buildPage() {
  if (!KERNELS.every((k) => existsSync(join(root, 'build', k)))) {
    console.log('Building the WASM kernels (npm run build:wasm)…');
    const r = spawnSync('npm', ['run', 'build:wasm'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run build:wasm failed.');
  }
  console.log('Building the page (vite build)…');
  const { build } = await import('vite');
  const t0 = Date.now();
  // 'error': the AWS SDK's Node-only modules produce pages of harmless externalisation warnings.
  await build({ root, logLevel: 'error' });
  console.log(`Built dist/ in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
}

async function main() {
  if (!process.argv.includes('--no-build')) await buildPage();
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/index.html is missing: run without --no-build.');

  // The server modules are TypeScript: load them through tsx.
  const unregister = register();
  const { serveStatic } = await import('../src/server/static.ts');
  const { startLocalServices } = await import('../src/server/local-services.ts');
  const { localDeploymentConfig } = await import('../src/server/local-config.ts');

  const wanted = Number(option('port') ?? process.env.PORT ?? DEFAULT_PORT);
  const port = (await portIsFree(wanted)) ? wanted : 0;
  let config = null;
  // config.json is answered from `config`, filled in once the S3 ports are known (below).
  const page = await serveStatic(dist, port, () => config);
  const origin = page.url.replace(/\/$/, '');
  const services = await startLocalServices({
    dataDir: process.env.S3_DATA_DIR ?? join(root, '.s3data'),
    s3Port: Number(option('s3-port') ?? 0),
    // Origins must match exactly: the page may be opened as 127.0.0.1 or localhost.
    corsOrigins: [origin, origin.replace('127.0.0.1', 'localhost')],
  });
  config = localDeploymentConfig(services);
  unregister();

  console.log('');
  console.log(`  Prospectivity Data Workbench: ${page.url}`);
  console.log(`  Local S3 (s3rver): ${services.s3Endpoint}  bucket "${services.bucket}"`);
  console.log(`  Local Cognito identity endpoint: ${services.cognitoEndpoint}`);
  console.log('  Press Ctrl-C to stop.');
  console.log('');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await Promise.allSettled([page.stop(), services.stop()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`npm start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
