#!/usr/bin/env node
// The `prospect` command: runs the TypeScript CLI (src/cli/main.ts) on the same engine as the page.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
