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

/** Per-command option lists printed by `prospect <command> --help`. */
const DETAILS: Record<string, string> = {
  prepare: [
    '  --features F --labels L --out DIR   inputs (.npy, or archive.npz:entry) and output folder (writes DIR/data/...)',
    '  --metadata M                        features_metadata.json to carry names, units and types',
    '  --test-size 0.15 --val-size 0.176   the two-stage split (val-size is a fraction of the remainder)',
    '  --seed 42  --no-stratify            numpy RandomState seed; plain shuffled split',
    '  --clip 1,99 | --no-clip             clip to training percentiles',
    '  --impute median|mean|constant:V|none',
    '  --scaler robust|standard|minmax|none',
    '  --smote [--smote-k 5] [--smote-ratio R]   oversample the training split (imbalanced-learn SMOTE)',
    '',
  ].join('\n'),
  report: '  --json prints exactly the report the page exports; progress goes to stderr on a terminal\n',
  check: '  --endpoint URL --region R --identity-pool ID --cognito-endpoint URL (keys from AWS_* otherwise)\n',
  upload: '  keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN when no identity pool is given\n',
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
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage: prospect ${entry.summary}\n${DETAILS[cmd] ?? ''}`);
    return 0;
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
