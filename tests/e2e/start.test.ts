/**
 * `npm start` (scripts/start.mjs) end to end: it serves the built page on loopback, prints the URL,
 * answers config.json with the local S3 and Cognito endpoints (which answer too), sends the strict CSP,
 * and stops everything on Ctrl-C (SIGINT) with exit code 0.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildPageOnce, makeTempDir, ROOT } from './harness';

describe('npm start', () => {
  it('serves the page and the local endpoints, then stops on SIGINT', async () => {
    await buildPageOnce();
    const tmp = makeTempDir('start');
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--no-build', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, S3_DATA_DIR: join(tmp.dir, 's3data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += String(b)));
    child.stderr.on('data', (b) => (out += String(b)));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL printed within 30 s:\n${out}`)), 30_000);
        const look = () => {
          const m = /Prospectivity Data Workbench: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            ok(m[1]!);
          }
        };
        child.stdout.on('data', look);
        void exited.then((code) => fail(new Error(`npm start exited (${code}):\n${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const csp = page.headers.get('content-security-policy') ?? '';
      const config = (await (await fetch(`${url}config.json`)).json()) as { endpoint: string; cognitoEndpoint: string; bucket: string };
      expect(config.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(csp).toContain(`connect-src 'self' ${config.endpoint}`);
      expect(csp).toContain(config.cognitoEndpoint);
      // The local S3 answers for its bucket (a CORS preflight from the page's origin is allowed).
      const preflight = await fetch(`${config.endpoint}/${config.bucket}/x`, {
        method: 'OPTIONS',
        headers: { Origin: url.replace(/\/$/, ''), 'Access-Control-Request-Method': 'PUT' },
      });
      expect(preflight.status).toBe(200);
      expect(preflight.headers.get('access-control-allow-origin')).toBeTruthy();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      tmp.cleanup();
    }
  }, 120_000);
});
