/**
 * The screen tab bar (WAI-ARIA tabs pattern): `role=tablist`, roving tabindex, Left/Right/Home/End move
 * between tabs and activate them, each tab controls one `role=tabpanel`.
 */
import { For, type JSX } from 'solid-js';

export interface TabDef<K extends string> {
  key: K;
  label: string;
}

/** A keyboard-reachable tab bar; `current` is the selected key. */
export function TabBar<K extends string>(props: {
  tabs: TabDef<K>[];
  current: K;
  onSelect: (key: K) => void;
  label: string;
}): JSX.Element {
  const buttons = new Map<K, HTMLButtonElement>();
  const move = (from: K, delta: number | 'first' | 'last') => {
    const keys = props.tabs.map((t) => t.key);
    const i = keys.indexOf(from);
    const j =
      delta === 'first' ? 0 : delta === 'last' ? keys.length - 1 : (i + delta + keys.length) % keys.length;
    const key = keys[j]!;
    props.onSelect(key);
    buttons.get(key)?.focus();
  };
  const onKeyDown = (key: K, e: KeyboardEvent) => {
    const step: Record<string, number | 'first' | 'last'> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      Home: 'first',
      End: 'last',
    };
    const d = step[e.key];
    if (d === undefined) return;
    e.preventDefault();
    move(key, d);
  };
  return (
    <div class="tabbar" role="tablist" aria-label={props.label}>
      <For each={props.tabs}>
        {(tab) => (
          <button
            ref={(el) => buttons.set(tab.key, el)}
            type="button"
            role="tab"
            class="tab"
            id={`tab-${tab.key}`}
            aria-controls={`panel-${tab.key}`}
            aria-selected={props.current === tab.key}
            tabIndex={props.current === tab.key ? 0 : -1}
            onClick={() => props.onSelect(tab.key)}
            onKeyDown={(e) => onKeyDown(tab.key, e)}
          >
            {tab.label}
          </button>
        )}
      </For>
    </div>
  );
}
