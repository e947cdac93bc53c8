/**
 * Test-only page: exposes the page's engine client (the real module worker) to the Chromium contract
 * test (tests/workers/engine-browser.test.ts), with inputs built from bytes the test sends.
 */
import { EngineClient, getEngine } from '../../../src/workers/engine.client';
import type { InputRef } from '../../../src/core/input';
import type { Progress } from '../../../src/core/progress';
import { DEFAULT_PREPARE_SETTINGS } from '../../../src/core/prepare-types';
import { WorkbenchError } from '../../../src/core/errors';

const blobRef = (bytes: number[] | Uint8Array, name: string): InputRef => ({
  kind: 'blob',
  blob: new File([Uint8Array.from(bytes)], name),
  name,
});

/** A plain description of anything thrown (what crossed the worker boundary). */
function describeError(e: unknown) {
  const o = e as { name?: string; message?: string; code?: string; file?: string };
  return {
    name: o.name,
    message: o.message,
    code: o.code,
    file: o.file,
    // The class itself (names are minified in the build): rebuilt by the transfer handler, not a plain Error.
    isWorkbenchError: e instanceof WorkbenchError,
    isDomException: e instanceof DOMException,
  };
}

const api = {
  async info() {
    return getEngine().info();
  },
  async inspect(bytes: number[], name: string) {
    try {
      return { ok: await getEngine().inspect(blobRef(bytes, name)) };
    } catch (e) {
      return { error: describeError(e) };
    }
  },
  async report(features: number[], labels: number[]) {
    const seen: Progress[] = [];
    const report = await getEngine().report(
      { features: blobRef(features, 'features.npy'), labels: blobRef(labels, 'labels.npy') },
      { onProgress: (p) => seen.push(p) },
    );
    return { report, progressEvents: seen.length };
  },
  /** Starts a report and aborts it at the first progress event. */
  async cancelledReport(features: number[], labels: number[]) {
    const controller = new AbortController();
    const t0 = performance.now();
    try {
      await getEngine().report(
        { features: blobRef(features, 'features.npy'), labels: blobRef(labels, 'labels.npy'), windowBytes: 4096 },
        { signal: controller.signal, onProgress: () => controller.abort() },
      );
      return { error: null, ms: performance.now() - t0 };
    } catch (e) {
      return { error: describeError(e), ms: performance.now() - t0 };
    }
  },
  async prepareAndZip(features: number[], labels: number[]) {
    const engine = getEngine();
    const out = await engine.prepare({
      features: blobRef(features, 'features.npy'),
      labels: blobRef(labels, 'labels.npy'),
      settings: DEFAULT_PREPARE_SETTINGS,
    });
    const chunks: Uint8Array[] = [];
    await engine.exportZip(out, async (c) => void chunks.push(c));
    const zip = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      zip.set(c, at);
      at += c.byteLength;
    }
    const stored = await engine.loadPrepared();
    return { result: out.result, root: out.root, zip: Array.from(zip), storedRoot: stored?.root };
  },
  /** A real Worker that ignores cancel: the client must terminate it ~1 s after the abort and start afresh. */
  async stuckWorker() {
    const client = new EngineClient(() => new Worker(new URL('./stuck.worker.ts', import.meta.url), { type: 'module' }));
    const first = await client.info();
    const controller = new AbortController();
    const job = client.report({} as never, { signal: controller.signal });
    const t0 = performance.now();
    controller.abort();
    const outcome = await job.then(
      () => ({ name: 'resolved' }),
      (e: unknown) => describeError(e),
    );
    const settledMs = performance.now() - t0;
    const second = await client.info();
    return { first, outcome, settledMs, second, workersStarted: client.workersStarted };
  },
  async sha256(bytes: number[]) {
    return getEngine().sha256(blobRef(bytes, 'x.bin'));
  },
};

(window as unknown as { engineContract: typeof api }).engineContract = api;
document.body.dataset.ready = 'true';
