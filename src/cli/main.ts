/**
 * `prospect` — the workbench on the command line. Each subcommand lives in its own module exporting
 * `run(args: string[]): Promise<number>` (the exit code). Bad input: exit code 1 and one line on
 * stderr naming the file and the problem, never a stack trace.
 */
import { WorkbenchError, isAbortError } from '../core/errors';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  inspect: { summary: 'inspect FILE [--json]              header facts of a .npy or .npz', load: () => import('./inspect') },
  report: { summary: 'report --features F [--labels L] [--metadata M] [--json]   data-quality report', load: () => import('./report') },
  prepare: { summary: 'prepare --features F --labels L --out DIR [...]   split, clip, impute, scale, SMOTE', load: () => import('./prepare') },
  upload: { summary: 'upload DIR --bucket B [--prefix P] [--endpoint URL] [--region R] [--identity-pool ID]', load: () => import('./upload') },
  check: { summary: 'check --bucket B [--prefix P] [--json]   bucket doctor (exit 0 only when ready)', load: () => import('./check') },
  ls: { summary: 'ls --bucket B [--prefix P]          list objects', load: () => import('./ls') },
  serve: { summary: 'serve [--port N] [--s3-port N] [--data-dir D]   local S3 + Cognito endpoints', load: () => import('./serve') },
};

function usage(): string {
  return ['usage: prospect <command> [options]', '', ...Object.values(COMMANDS).map((c) => `  prospect ${c.summary}`)].join('\n');
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(usage() + '\n');
    return cmd ? 0 : 1;
  }
  const entry = COMMANDS[cmd];
  if (!entry) {
    process.stderr.write(`prospect: unknown command '${cmd}'\n${usage()}\n`);
    return 1;
  }
  try {
    const mod = await entry.load();
    return await mod.run(rest);
  } catch (e) {
    process.stderr.write(`prospect ${cmd}: ${describeError(e)}\n`);
    return isAbortError(e) ? 130 : 1;
  }
}

/** One line for any failure: WorkbenchError and usage errors as written, others by their message. */
export function describeError(e: unknown): string {
  if (e instanceof WorkbenchError) return e.message;
  if (e instanceof Error) return e.message.split('\n')[0] ?? String(e);
  return String(e);
}
