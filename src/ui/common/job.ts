/**
 * Runs one kind of long engine job from a screen: a fresh AbortController per run (a new run cancels
 * the previous one), progress into the store, and the outcome as `done` / `cancelled` / `error` (the
 * error's sentence as written). Progress events from a superseded run are ignored.
 */
import { createSignal, type Accessor } from 'solid-js';
import type { JobOptions } from '../../core/progress';
import { isAbortError } from '../../core/errors';
import type { JobState } from '../shell/store';
import { errorMessage } from './format';

export interface JobRunner<T> {
  /** Starts `work`; resolves when it has settled (never rejects). */
  run(inputsKey: string, work: (opts: Required<JobOptions>) => Promise<T>): Promise<void>;
  /** Asks the running job to stop (the engine client terminates a worker that does not stop within ~1 s). */
  cancel(): void;
  /** True between `cancel()` and the job settling. */
  cancelling: Accessor<boolean>;
}

/** A runner writing into one JobState through `update` (a store setter for that slice). */
export function makeJobRunner<T>(
  update: (patch: Partial<JobState<T>>) => void,
  options: { keepResultWhileRunning?: boolean } = {},
): JobRunner<T> {
  let current: AbortController | undefined;
  const [cancelling, setCancelling] = createSignal(false);
  return {
    cancelling,
    async run(inputsKey, work) {
      current?.abort();
      const controller = new AbortController();
      current = controller;
      setCancelling(false);
      update({
        status: 'running',
        progress: undefined,
        error: undefined,
        ...(options.keepResultWhileRunning ? {} : { result: undefined, inputsKey }),
      });
      try {
        const result = await work({
          signal: controller.signal,
          onProgress: (p) => {
            if (current === controller) update({ progress: { phase: p.phase, done: p.done, total: p.total } });
          },
        });
        if (current === controller) update({ status: 'done', result, inputsKey });
      } catch (e) {
        if (current !== controller) return;
        if (isAbortError(e)) update({ status: 'cancelled' });
        else update({ status: 'error', error: errorMessage(e) });
      } finally {
        if (current === controller) {
          current = undefined;
          setCancelling(false);
        }
      }
    },
    cancel() {
      if (!current) return;
      setCancelling(true);
      current.abort();
    },
  };
}
