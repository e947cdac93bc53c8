/** Progress of one long call: `done` of `total` units (bytes or rows) in the named phase. */
export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export type ProgressFn = (p: Progress) => void;

/** Options every long engine call takes. */
export interface JobOptions {
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export const PROGRESS_INTERVAL_MS = 100;

/**
 * Wraps `fn` so that it fires at most every PROGRESS_INTERVAL_MS, except that a change of phase and
 * the final `done === total` always get through (so bars end full).
 */
export function throttleProgress(fn: ProgressFn | undefined, intervalMs = PROGRESS_INTERVAL_MS): ProgressFn {
  if (!fn) return () => {};
  let last = 0;
  let lastPhase = '';
  return (p) => {
    const now = Date.now();
    if (p.phase !== lastPhase || p.done >= p.total || now - last >= intervalMs) {
      last = now;
      lastPhase = p.phase;
      fn(p);
    }
  };
}
