/** A job's progress bar (`role=progressbar`) with its phase, percentage and an optional Cancel button. */
import { Show, type JSX } from 'solid-js';
import type { Progress } from '../../core/progress';

/** Fraction done in [0, 1] (0 when the total is unknown). */
export function progressFraction(p: Progress | undefined): number {
  if (!p || !(p.total > 0)) return 0;
  return Math.min(1, Math.max(0, p.done / p.total));
}

export function ProgressBar(props: {
  label: string;
  progress?: Progress;
  onCancel?: () => void;
  cancelling?: boolean;
}): JSX.Element {
  const pct = () => Math.round(progressFraction(props.progress) * 100);
  return (
    <div class="progress" data-testid="progress">
      <div class="progress-head">
        <span>
          {props.label}
          <Show when={props.progress?.phase}>
            {' '}
            — <span class="progress-phase">{props.progress!.phase}</span>
          </Show>
        </span>
        <span class="progress-pct">{pct()} %</span>
      </div>
      <div
        class="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct()}
        aria-valuetext={`${props.progress?.phase ?? 'starting'}: ${pct()} %`}
      >
        <div class="progress-fill" style={{ width: `${pct()}%` }} />
      </div>
      <Show when={props.onCancel}>
        <button type="button" class="cancel" onClick={() => props.onCancel!()} disabled={props.cancelling}>
          {props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </Show>
    </div>
  );
}
