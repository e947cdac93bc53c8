/**
 * The page's hashing worker, started by the engine worker (src/engine/browser-hasher.ts): SHA-256 through
 * the WASM kernel off the engine's thread. Messages, handled in order for each id:
 *   { op: 'update', id, bytes: ArrayBuffer, length }  hash bytes[0, length); the buffer is sent back
 *   { op: 'digest', id }                             reply { op: 'digest', id, hex } (or { op: 'error' })
 * On start it instantiates the kernel once (which also warms it up) and replies { op: 'ready' }, or
 * { op: 'failed' } so that the engine hashes on its own thread instead.
 */
import { createSha256, type Sha256Hasher } from '../engine/sha256';

type Request = { op: 'update'; id: number; bytes: ArrayBuffer; length: number } | { op: 'digest'; id: number };

// The DOM and WebWorker typings disagree on postMessage; this is a dedicated worker's.
const scope = self as unknown as { postMessage(message: unknown, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent<Request>) => void) | null };

// Each output hash is a chain of steps, so that updates queued before its kernel exists keep their order.
const hashes = new Map<number, Promise<Sha256Hasher>>();

function hashOf(id: number): Promise<Sha256Hasher> {
  let h = hashes.get(id);
  if (!h) {
    h = createSha256();
    hashes.set(id, h);
  }
  return h;
}

function reply(id: number, hex: Promise<string>): void {
  hex.then(
    (h) => scope.postMessage({ op: 'digest', id, hex: h }),
    (e: unknown) => scope.postMessage({ op: 'error', id, message: e instanceof Error ? e.message : String(e) }),
  );
}

scope.onmessage = ({ data: m }) => {
  if (m.op === 'update') {
    const step = hashOf(m.id).then((h) => {
      h.update(new Uint8Array(m.bytes, 0, m.length));
      return h;
    });
    hashes.set(m.id, step);
    // The pooled buffer goes back once its bytes are in the hash, whatever happened to them.
    step.catch(() => {}).finally(() => scope.postMessage({ op: 'returned', bytes: m.bytes }, [m.bytes]));
  } else if (m.op === 'digest') {
    const h = hashOf(m.id);
    hashes.delete(m.id);
    reply(m.id, h.then((hasher) => hasher.digestHex()));
  }
};

createSha256().then(
  () => scope.postMessage({ op: 'ready' }),
  (e: unknown) => scope.postMessage({ op: 'failed', message: e instanceof Error ? e.message : String(e) }),
);
