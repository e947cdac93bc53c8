/**
 * One suite, two hosts (STYLE.md): the same engine tests run against the in-thread engine
 * (`makeEngine()`) and against the page's client talking to the worker host over a comlink channel
 * (`EngineClient` → `makeEngineHost(makeEngine(), store)`), so whatever the page gets through the
 * worker is what the CLI gets in-thread — results, progress, errors (code, message, file) and cancel.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEngine } from '../../src/engine/engine';
import { EngineClient } from '../../src/workers/engine.client';
import { makeEngineHost, type PreparedOutput, type PreparedStore, type PrepareJob } from '../../src/workers/engine.host';
import type { InputRef } from '../../src/core/input';
import type { ArrayInfo } from '../../src/core/npy';
import type { JobOptions, Progress } from '../../src/core/progress';
import type { QualityReport, ReportRequest } from '../../src/core/report-types';
import type { PrepareResult } from '../../src/core/prepare-types';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { WorkbenchError, isAbortError } from '../../src/core/errors';
import { encodeNpy } from '../../src/core/npy-write';
import { memorySink } from '../core/prepare-memory-sink';
import { writeLayoutZip } from '../../src/workers/zip-export';
import { unzipSync } from 'fflate';
import { fakeWorker, type FakeWorker } from './fake-worker';
import { makeRandom } from '../e2e/reference';

/** What both hosts offer to this suite (prepare: the sink is the host's business). */
interface EngineUnderTest {
  inspect(ref: InputRef): Promise<ArrayInfo[]>;
  report(req: ReportRequest, opts?: JobOptions): Promise<QualityReport>;
  prepare(req: PrepareJob, opts?: JobOptions): Promise<{ result: PrepareResult; files: Map<string, Uint8Array> }>;
  /** The last prepared layout as a zip, chunk by chunk. */
  exportZip(onChunk: (c: Uint8Array) => Promise<void>): Promise<void>;
  sha256(ref: InputRef, opts?: JobOptions): Promise<string>;
}

/** A PreparedStore over memory sinks (what OPFS is in the page). */
function memoryStore(): PreparedStore & { last?: Map<string, Uint8Array> } {
  const store: PreparedStore & { last?: Map<string, Uint8Array>; current: PreparedOutput | null } = {
    current: null,
    async begin() {
      const sink = memorySink();
      return {
        sink,
        async commit(result) {
          store.last = sink.files;
          store.current = {
            root: 'memory',
            files: [...sink.files].map(([path, b]) => ({ path, size: b.byteLength })),
            result,
            savedAt: new Date().toISOString(),
          };
          return store.current;
        },
        async discard() {},
      };
    },
    async load() {
      return store.current;
    },
    async clear() {
      store.current = null;
    },
    async openFile(_root, path) {
      return new Blob([store.last!.get(path)! as Uint8Array<ArrayBuffer>]);
    },
  };
  return store;
}

const workers: FakeWorker[] = [];
afterAll(() => workers.forEach((w) => w.terminate()));

const hosts: [string, () => EngineUnderTest][] = [
  [
    'in-thread',
    () => {
      const engine = makeEngine();
      let last: Map<string, Uint8Array> | undefined;
      return {
        inspect: (ref) => engine.inspect(ref),
        report: (req, opts) => engine.report(req, opts),
        sha256: (ref, opts) => engine.sha256(ref, opts),
        async prepare(req, opts) {
          const sink = memorySink();
          const result = await engine.prepare({ ...req, out: sink }, opts);
          last = sink.files;
          return { result, files: sink.files };
        },
        exportZip: (onChunk) =>
          writeLayoutZip(
            [...last!].map(([path, b]) => ({ path, size: b.byteLength })),
            async (path) => new Blob([last!.get(path)! as Uint8Array<ArrayBuffer>]),
            onChunk,
          ),
      };
    },
  ],
  [
    'through the worker client',
    () => {
      const store = memoryStore();
      const client = new EngineClient(() => {
        const w = fakeWorker(makeEngineHost(makeEngine(), store));
        workers.push(w);
        return w;
      });
      return {
        inspect: (ref) => client.inspect(ref),
        report: (req, opts) => client.report(req, opts),
        sha256: (ref, opts) => client.sha256(ref, opts),
        async prepare(req, opts) {
          const out = await client.prepare(req, opts);
          expect(out.files.map((f) => f.path).sort()).toEqual([...store.last!.keys()].sort());
          return { result: out.result, files: store.last! };
        },
        async exportZip(onChunk) {
          const prepared = await client.loadPrepared();
          await client.exportZip(prepared!, onChunk);
        },
      };
    },
  ],
];

function dataset(rows: number, cols: number) {
  const rnd = makeRandom(3);
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    labels[i] = rnd() < 0.3 ? 1 : 0;
    for (let j = 0; j < cols; j++) features[i * cols + j] = j === 1 && rnd() < 0.1 ? Number.NaN : rnd() * 10 + j;
  }
  return {
    features: { kind: 'bytes', bytes: encodeNpy('<f4', [rows, cols], features), name: 'features.npy' } as InputRef,
    labels: { kind: 'bytes', bytes: encodeNpy('<f4', [rows], labels), name: 'labels.npy' } as InputRef,
  };
}

// Reference results from the in-thread engine, compared with the worker host's.
const reference: { report?: QualityReport; prepare?: PrepareResult; sha?: string } = {};

describe.each(hosts)('engine contract (%s)', (hostName, make) => {
  const engine = make();
  const { features, labels } = dataset(500, 3);

  it('inspects a .npy', async () => {
    const [info] = await engine.inspect(features);
    expect(info).toMatchObject({ dtype: '<f4', shape: [500, 3], fortranOrder: false, version: '1.0' });
  });

  it('refuses a hostile file with a WorkbenchError naming it', async () => {
    const evil: InputRef = { kind: 'bytes', bytes: new TextEncoder().encode('not a numpy file at all'), name: 'evil.npy' };
    const err = await engine.inspect(evil).catch((e) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('NPY_BAD_MAGIC');
    expect(err.message).toContain('evil.npy');
  });

  it('reports with progress; the same report on both hosts', async () => {
    const seen: Progress[] = [];
    const r = await engine.report({ features, labels, windowBytes: 1024 }, { onProgress: (p) => seen.push(p) });
    expect(r.n_samples).toBe(500);
    expect(r.n_features).toBe(3);
    await new Promise((res) => setTimeout(res, 10));
    expect(seen.length).toBeGreaterThan(0);
    if (hostName === 'in-thread') reference.report = r;
    else expect(r).toEqual(reference.report);
  });

  it('a cancelled report rejects with AbortError', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await engine.report({ features, labels }, { signal: controller.signal }).catch((e) => e);
    expect(isAbortError(err)).toBe(true);
    // Through a worker, progress and cancel travel as messages: the job must yield to the event loop
    // between windows, as it does reading a File in a browser. In Node only real I/O does (in-memory
    // bytes and Node's Blob.arrayBuffer resolve without a macrotask), so this reads files on disk.
    const big = dataset(20_000, 3);
    const dir = mkdtempSync(join(tmpdir(), 'engine-contract-'));
    const onDisk = (r: InputRef): InputRef => {
      if (r.kind !== 'bytes') return r;
      writeFileSync(join(dir, r.name), r.bytes);
      return { kind: 'path', path: join(dir, r.name) };
    };
    const controller2 = new AbortController();
    const job = engine.report({ features: onDisk(big.features), labels: onDisk(big.labels), windowBytes: 256 }, {
      signal: controller2.signal,
      onProgress: () => controller2.abort(),
    });
    const outcome = await job.catch((e) => e);
    rmSync(dir, { recursive: true, force: true });
    expect(isAbortError(outcome), String(outcome?.message ?? Object.keys(outcome ?? {}))).toBe(true);
  });

  it('prepares the same files on both hosts', async () => {
    const { result, files } = await engine.prepare({ features, labels, settings: DEFAULT_PREPARE_SETTINGS });
    expect(result.sizes.training + result.sizes.validation + result.sizes.test).toBe(500);
    expect([...files.keys()]).toContain('data/training/features.npy');
    if (hostName === 'in-thread') reference.prepare = result;
    else expect(result.files).toEqual(reference.prepare!.files);
  });

  it('exports the prepared layout as a zip of exactly its files', async () => {
    const { files } = await engine.prepare({ features, labels, settings: DEFAULT_PREPARE_SETTINGS });
    const chunks: Uint8Array[] = [];
    await engine.exportZip(async (c) => void chunks.push(c));
    const zip = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) {
      zip.set(c, at);
      at += c.byteLength;
    }
    const unzipped = unzipSync(zip);
    expect(Object.keys(unzipped).sort()).toEqual([...files.keys()].sort());
    for (const [path, bytes] of files) expect(Buffer.from(unzipped[path]!).equals(Buffer.from(bytes)), path).toBe(true);
  });

  it('hashes an input', async () => {
    const sha = await engine.sha256(labels);
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    if (hostName === 'in-thread') reference.sha = sha;
    else expect(sha).toBe(reference.sha);
  });
});
