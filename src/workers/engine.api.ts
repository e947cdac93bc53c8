/**
 * The one typed API of the engine. Two hosts implement it:
 *  - in-thread (`src/engine/engine.ts`): Node CLI, benchmarks, unit tests;
 *  - through a module Web Worker (`engine.worker.ts` exposes, `engine.client.ts` wraps with comlink).
 * The same test suites run against both. Long calls take JobOptions (progress + AbortSignal) and
 * reject with an AbortError on cancel; failures are WorkbenchErrors that name the file.
 */
import type { InputRef } from '../core/input';
import type { JobOptions } from '../core/progress';
import type { ArrayInfo } from '../core/npy';
import type { QualityReport, ReportRequest } from '../core/report-types';
import type { PrepareRequest, PrepareResult } from '../core/prepare-types';

export interface EngineInfo {
  version: string;
  flavour: 'simd' | 'scalar';
}

export interface EngineApi {
  info(): Promise<EngineInfo>;
  /** Header facts: one entry for a `.npy`, one per array for a `.npz`. */
  inspect(ref: InputRef): Promise<ArrayInfo[]>;
  /** The data-quality report, streamed in a bounded number of passes. */
  report(req: ReportRequest, opts?: JobOptions): Promise<QualityReport>;
  /** Split, clip, impute, scale, SMOTE; writes the bucket layout to `req.out`. */
  prepare(req: PrepareRequest, opts?: JobOptions): Promise<PrepareResult>;
  /** Hex SHA-256 of the input, streamed through the WASM kernel. */
  sha256(ref: InputRef, opts?: JobOptions): Promise<string>;
}
