// Test helper: a loopback TCP proxy that can cut a connection after N bytes from the client.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CuttingProxy {
  endpoint: string;
  /** Connections cut so far. */
  cuts: number;
  stop(): Promise<void>;
}

/**
 * Forwards to `target` (http://host:port). The first `cutCount` connections that carry more than
 * `cutAfterBytes` request bytes are destroyed right there — in the middle of the request body.
 */
export async function startCuttingProxy(target: string, cutAfterBytes: number, cutCount = 1): Promise<CuttingProxy> {
  const url = new URL(target);
  const sockets = new Set<Socket>();
  const state = { cuts: 0 };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(url.port), url.hostname);
    sockets.add(client);
    sockets.add(upstream);
    let forwarded = 0;
    client.on('data', (chunk: Buffer) => {
      forwarded += chunk.length;
      if (state.cuts < cutCount && forwarded > cutAfterBytes) {
        state.cuts++;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', close).on('error', close);
    upstream.on('close', close).on('error', close);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get cuts() {
      return state.cuts;
    },
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
