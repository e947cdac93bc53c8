/**
 * The in-thread engine: the EngineApi implemented by direct calls. The CLI, benchmarks and unit tests
 * use it as is; the page reaches the same object through a module Web Worker (src/workers/).
 */
import type { EngineApi, EngineInfo } from '../workers/engine.api';
import type { InputRef } from '../core/input';
import { openContainer, openInput, inputName } from '../core/input';
import type { JobOptions } from '../core/progress';
import type { ArrayInfo } from '../core/npy';
import { readArrayInfo } from '../core/npy';
import { listNpz } from '../core/npz';
import type { QualityReport, ReportRequest } from '../core/report-types';
import type { PrepareRequest, PrepareResult } from '../core/prepare-types';
import { buildReport } from './report';
import { runPrepare } from './prepare';
import { sha256Source } from './sha256';
import { simdSupported } from './wasm';
import { WORKBENCH_VERSION } from '../core/version';

/** Settings of an engine that differ between the page's worker and Node. */
export interface EngineOptions {
  /** Working memory of a prepare job (runPrepare's `memoryBytes`); runPrepare's default when absent. */
  prepareMemoryBytes?: number;
}

/** Creates the in-thread engine. */
export function makeEngine(options: EngineOptions = {}): EngineApi {
  return {
    async info(): Promise<EngineInfo> {
      return { version: WORKBENCH_VERSION, flavour: simdSupported() ? 'simd' : 'scalar' };
    },
    async inspect(ref: InputRef): Promise<ArrayInfo[]> {
      const src = await openContainer(ref);
      try {
        if (!ref.entry && /\.npz$/i.test(inputName(ref))) return await listNpz(src);
        const entry = ref.entry ? await openInput(ref) : src;
        return [await readArrayInfo(entry)];
      } finally {
        await src.close?.();
      }
    },
    report(req: ReportRequest, opts?: JobOptions): Promise<QualityReport> {
      return buildReport(req, opts);
    },
    prepare(req: PrepareRequest, opts?: JobOptions): Promise<PrepareResult> {
      return runPrepare(req, options.prepareMemoryBytes ? { ...opts, memoryBytes: options.prepareMemoryBytes } : opts);
    },
    async sha256(ref: InputRef, opts?: JobOptions): Promise<string> {
      const src = await openInput(ref);
      try {
        return await sha256Source(src, opts);
      } finally {
        await src.close?.();
      }
    },
  };
}
