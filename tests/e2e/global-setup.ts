/**
 * vitest globalSetup for the end-to-end tests: builds dist/ once before any test file runs (the
 * harness then finds it fresh). Add to vite.config.ts → test: { globalSetup: ['tests/e2e/global-setup.ts'] }.
 */
import { buildPageOnce, chromiumAvailable } from './harness';

export default async function setup(): Promise<void> {
  if (!chromiumAvailable()) return; // e2e tests skip themselves; nothing to build for.
  await buildPageOnce();
}
