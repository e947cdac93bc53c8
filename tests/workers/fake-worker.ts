/**
 * A Worker stand-in for Node tests: the host is exposed with comlink on one end of a MessageChannel in
 * this thread, the client talks to the other end. `terminate()` closes the channel (what a real
 * terminate does to the page's side), and `crash()` fires an `error` event like a dying worker.
 */
import { expose } from 'comlink';
import '../../src/workers/transfer';
import type { WorkerLike } from '../../src/workers/engine.client';

export interface FakeWorker extends WorkerLike {
  terminated: boolean;
  crash(message: string): void;
}

/** Exposes `host` in this thread and returns a Worker-like endpoint to it. */
export function fakeWorker(host: object): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  expose(host, port2 as unknown as Parameters<typeof expose>[1]);
  const events = new EventTarget();
  const w: FakeWorker = {
    terminated: false,
    postMessage: (message: unknown, transfer?: Transferable[]) => port1.postMessage(message, transfer ?? []),
    addEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      if (type === 'message') port1.addEventListener('message', listener as EventListener);
      else events.addEventListener(type, listener);
    },
    removeEventListener(type: string, listener: EventListenerOrEventListenerObject) {
      if (type === 'message') port1.removeEventListener('message', listener as EventListener);
      else events.removeEventListener(type, listener);
    },
    terminate() {
      w.terminated = true;
      port1.close();
      port2.close();
    },
    crash(message: string) {
      const ev = new Event('error', { cancelable: true });
      Object.defineProperty(ev, 'message', { value: message });
      events.dispatchEvent(ev);
    },
  } as FakeWorker;
  port1.start();
  return w;
}
