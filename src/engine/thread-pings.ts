/**
 * Ping and keep-alive bookkeeping of a worker thread that answers `{ op: 'ping' }` with `{ op: 'pong' }`
 * (the prepare job's hashing and leakage threads, Node only): a spare thread started ahead of a job does
 * not keep the process alive, yet a caller awaiting its answer must not see the process exit first.
 */
import type { Worker } from 'node:worker_threads';

export class ThreadPings {
  private readonly waiting: Array<() => void> = [];
  private alive = true;

  constructor(private readonly worker: Worker) {}

  /** Whether the idle thread keeps the process alive. */
  keepAlive(yes: boolean): void {
    this.alive = yes;
    if (yes) this.worker.ref();
    else this.worker.unref();
  }

  /** Resolves once the thread answers (held alive until then). */
  ping(): Promise<void> {
    this.worker.ref();
    return new Promise<void>((resolve) => {
      this.waiting.push(() => {
        if (!this.alive) this.worker.unref();
        resolve();
      });
      this.worker.postMessage({ op: 'ping' });
    });
  }

  /** The thread's answer to the oldest ping. */
  pong(): void {
    this.waiting.shift()?.();
  }

  /** The thread is gone: every ping still waiting resolves (its caller then finds the thread unhealthy). */
  wakeAll(): void {
    for (const wake of this.waiting.splice(0)) wake();
  }
}
