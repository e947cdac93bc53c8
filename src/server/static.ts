/**
 * A small static file server for the built page (`dist/`), answering `config.json` from the given
 * deployment config and sending a strict Content-Security-Policy whose connect-src allows only the page
 * itself and the configured endpoints. Node only (used by `prospect serve` and `npm start`).
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CONFIG_FILE_NAME, contentSecurityPolicy, type DeploymentConfig } from '../s3/config';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface StaticServerOptions {
  host?: string;
}

/**
 * Serves `distDir` on `port` (0 = free port). `config` (or a function returning it, for when the S3
 * ports are only known after this server listens) is served as `/config.json`; null → 404, as on a
 * host without one.
 */
export async function serveStatic(
  distDir: string,
  port: number,
  config: DeploymentConfig | null | (() => DeploymentConfig | null),
  opts: StaticServerOptions = {},
): Promise<StaticServer> {
  const host = opts.host ?? '127.0.0.1';
  const root = resolve(distDir);
  const currentConfig = () => (typeof config === 'function' ? config() : config);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let path = decodeURIComponent(url.pathname);
      res.setHeader('Content-Security-Policy', contentSecurityPolicy(currentConfig()));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Referrer-Policy', 'no-referrer');
      // Cross-origin isolation is not needed (no SharedArrayBuffer); keep caching simple for development.
      res.setHeader('Cache-Control', 'no-cache');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.statusCode = 405;
        res.end();
        return;
      }
      if (path === `/${CONFIG_FILE_NAME}`) {
        const c = currentConfig();
        if (!c) {
          res.statusCode = 404;
          res.end('no config.json');
          return;
        }
        res.setHeader('Content-Type', MIME['.json']!);
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(c, null, 2));
        return;
      }
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.statusCode = 403;
        res.end();
        return;
      }
      try {
        const st = await stat(file);
        if (!st.isFile()) throw new Error('not a file');
        const body = await readFile(file);
        res.setHeader('Content-Type', MIME[extname(file).toLowerCase()] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(body.byteLength));
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.statusCode = 404;
        res.setHeader('Content-Type', MIME['.txt']!);
        res.end(`${path} not found`);
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/`,
    port: actual,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
