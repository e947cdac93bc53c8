/** Warnings that do not stop anything, one per line, or nothing when there are none. */
import { For, Show, type JSX } from 'solid-js';

export function WarningList(props: { warnings: string[]; class?: string; label?: string }): JSX.Element {
  return (
    <Show when={props.warnings.length}>
      <ul class={props.class ? `warnings ${props.class}` : 'warnings'} aria-label={props.label}>
        <For each={props.warnings}>
          {(w) => (
            <li>
              <span aria-hidden="true">⚠ </span>
              {w}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
