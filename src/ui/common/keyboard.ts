/** Keyboard helpers shared by the screens. */

/** A keydown handler that runs `action` on Enter or Space (for elements with `role=button` that are not buttons). */
export function onActivateKey(action: () => void): (e: KeyboardEvent) => void {
  return (e) => {
    if (e.key === 'Enter' || e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      action();
    }
  };
}
