/**
 * A small strict argument parser: `--name value`, `--name=value`, boolean `--flag`, positionals.
 * Unknown options are errors (a typo must not silently fall back to a default).
 */
import { WorkbenchError } from '../core/errors';

export interface ArgSpec {
  /** Options that take a value. */
  values?: string[];
  /** Boolean flags. */
  flags?: string[];
}

export interface ParsedArgs {
  values: Map<string, string>;
  flags: Set<string>;
  positionals: string[];
}

/** Parses `argv` against `spec`; throws a BAD_SETTING WorkbenchError with one clear line. */
export function parseArgs(argv: string[], spec: ArgSpec): ParsedArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const valueNames = new Set(spec.values ?? []);
  const flagNames = new Set(spec.flags ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (valueNames.has(name)) {
      const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new WorkbenchError('BAD_SETTING', `option --${name} needs a value`);
      values.set(name, v);
    } else if (flagNames.has(name) && eq < 0) {
      flags.add(name);
    } else {
      throw new WorkbenchError('BAD_SETTING', `unknown option --${name}`);
    }
  }
  return { values, flags, positionals };
}

/** Reads a numeric option, refusing anything that is not a finite number. */
export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.values.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new WorkbenchError('BAD_SETTING', `--${name} must be a number, got '${v}'`);
  return n;
}

/** Progress to stderr, only on a terminal (pipes and CI logs stay clean). */
export function stderrProgress(): ((p: { phase: string; done: number; total: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const pct = p.total > 0 ? Math.min(100, (100 * p.done) / p.total) : 0;
    process.stderr.write(`\r${p.phase.padEnd(24)} ${pct.toFixed(0).padStart(3)}%`);
    if (p.done >= p.total) process.stderr.write('\n');
  };
}
