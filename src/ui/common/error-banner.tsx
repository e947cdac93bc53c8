/** An error shown as written (the engine's sentence names the file), with an optional dismiss button. */
import { Show, type JSX } from 'solid-js';

export function ErrorBanner(props: { message: string; title?: string; onDismiss?: () => void }): JSX.Element {
  return (
    <div class="error-banner" role="alert">
      <span class="error-icon" aria-hidden="true">
        ⨯
      </span>
      <div class="error-text">
        <Show when={props.title}>
          <strong>{props.title} </strong>
        </Show>
        <span class="error-message">{props.message}</span>
      </div>
      <Show when={props.onDismiss}>
        <button type="button" class="link" aria-label="Dismiss" onClick={() => props.onDismiss!()}>
          Dismiss
        </button>
      </Show>
    </div>
  );
}
