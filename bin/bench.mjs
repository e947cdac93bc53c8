#!/usr/bin/env node
// `npm run bench`: runs the benchmark sections in bench/ (TypeScript, through tsx).
// BENCH_SIZES=small for a quick run; BENCH_SECTIONS=prepare,... to pick sections.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../bench/run.ts');
process.exitCode = await main(process.argv.slice(2));
