/** Which screen is shown; any screen can switch it (e.g. "Go to Report"). Kept in the URL hash. */
import { createSignal } from 'solid-js';

export type ScreenKey = 'files' | 'report' | 'prepare' | 's3';

export const SCREEN_KEYS: readonly ScreenKey[] = ['files', 'report', 'prepare', 's3'];

function screenFromHash(): ScreenKey {
  const h = (typeof location !== 'undefined' ? location.hash : '').replace(/^#/, '');
  return (SCREEN_KEYS as readonly string[]).includes(h) ? (h as ScreenKey) : 'files';
}

const [screen, setScreen] = createSignal<ScreenKey>(screenFromHash());

/** The screen shown now (reactive). */
export const currentScreen = screen;

/** Switches the visible screen. */
export function showScreen(key: ScreenKey): void {
  setScreen(key);
  if (typeof history !== 'undefined') history.replaceState(null, '', `#${key}`);
}
