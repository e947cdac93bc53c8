// Test helpers: loopback TCP proxies that cut a connection after N bytes from the client, or forward the
// client's bytes slowly.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Proxy {
  endpoint: string;
  stop(): Promise<void>;
}

export interface CuttingProxy extends Proxy {
  /** Connections cut so far. */
  cuts: number;
}

/**
 * Forwards to `target` (http://host:port), handing every chunk from a client to `onClientData`, which
 * forwards it (`upstream.write`), delays the client or drops the connection; replies go back as they come.
 */
async function startProxy(target: string, onClientData: (chunk: Buffer, client: Socket, upstream: Socket) => void): Promise<Proxy> {
  const url = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(url.port), url.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => onClientData(chunk, client, upstream));
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
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * Forwards to `target` (http://host:port). The first `cutCount` connections that carry more than
 * `cutAfterBytes` request bytes are destroyed right there — in the middle of the request body.
 */
export async function startCuttingProxy(target: string, cutAfterBytes: number, cutCount = 1): Promise<CuttingProxy> {
  const state = { cuts: 0 };
  const forwarded = new WeakMap<Socket, number>();
  const proxy = await startProxy(target, (chunk, client, upstream) => {
    const sent = (forwarded.get(client) ?? 0) + chunk.length;
    forwarded.set(client, sent);
    if (state.cuts < cutCount && sent > cutAfterBytes) {
      state.cuts++;
      client.destroy();
      upstream.destroy();
      return;
    }
    upstream.write(chunk);
  });
  return {
    ...proxy,
    get cuts() {
      return state.cuts;
    },
  };
}

/** Forwards client bytes to `target` at about `bytesPerMs` (a slow uplink). */
export function startThrottlingProxy(target: string, bytesPerMs: number): Promise<Proxy> {
  return startProxy(target, (chunk, client, upstream) => {
    upstream.write(chunk);
    client.pause();
    setTimeout(() => client.resume(), chunk.length / bytesPerMs);
  });
}
