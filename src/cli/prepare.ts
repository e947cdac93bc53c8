/**
 * `prospect prepare --features F --labels L --out DIR [options]`: the recipe's split and preprocessing,
 * written as DIR/data/... (the bucket layout). Bad settings or inputs: exit 1 with one line.
 */
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../core/errors';
import { DEFAULT_PREPARE_SETTINGS, validatePrepareSettings, type ImputeSetting, type PrepareSettings, type ScalerKind } from '../core/prepare-types';
import { dirSink } from '../engine/node-sink';
import { preloadPrepare, runPrepare } from '../engine/prepare';
import { numberOption, parseArgs, stderrProgress, type ParsedArgs } from './args';
import { pathInput } from './inputs';

/** The CLI's working-memory budget: one apply pass for inputs up to ~1 GiB of float32 output. */
export const CLI_MEMORY_BYTES = 1024 * 1024 * 1024;

/** Builds PrepareSettings from the command-line options (defaults = the seed recipe). */
export function settingsFromArgs(args: ParsedArgs): PrepareSettings {
  const s: PrepareSettings = { ...DEFAULT_PREPARE_SETTINGS };
  s.testSize = numberOption(args, 'test-size', s.testSize);
  s.valSize = numberOption(args, 'val-size', s.valSize);
  s.seed = numberOption(args, 'seed', s.seed);
  s.stratify = !args.flags.has('no-stratify');
  const clip = args.values.get('clip');
  if (args.flags.has('no-clip')) {
    if (clip !== undefined) throw new WorkbenchError('BAD_SETTING', 'Give either --clip or --no-clip, not both.');
    s.clip = null;
  } else if (clip !== undefined) {
    const m = /^\s*([^,]+),([^,]+)\s*$/.exec(clip);
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new WorkbenchError('BAD_SETTING', `--clip must be LOW,HIGH percentiles such as 1,99, got '${clip}'.`);
    s.clip = { lo, hi };
  }
  const impute = args.values.get('impute');
  if (impute !== undefined) {
    let v: ImputeSetting;
    if (impute === 'median' || impute === 'mean' || impute === 'none') v = { kind: impute };
    else if (impute.startsWith('constant:')) {
      const text = impute.slice('constant:'.length);
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw new WorkbenchError('BAD_SETTING', `--impute constant:V needs a finite number V, got '${text}'.`);
      v = { kind: 'constant', value };
    } else throw new WorkbenchError('BAD_SETTING', `--impute must be median, mean, constant:V or none, got '${impute}'.`);
    s.impute = v;
  }
  const scaler = args.values.get('scaler');
  if (scaler !== undefined) {
    if (!['robust', 'standard', 'minmax', 'none'].includes(scaler)) throw new WorkbenchError('BAD_SETTING', `--scaler must be robust, standard, minmax or none, got '${scaler}'.`);
    s.scaler = scaler as ScalerKind;
  }
  if (args.flags.has('smote')) {
    const ratioText = args.values.get('smote-ratio');
    let ratio: number | 'auto' = 'auto';
    if (ratioText !== undefined && ratioText !== 'auto') ratio = numberOption(args, 'smote-ratio', NaN);
    s.smote = { k: numberOption(args, 'smote-k', 5), ratio };
  } else if (args.values.has('smote-k') || args.values.has('smote-ratio')) {
    throw new WorkbenchError('BAD_SETTING', '--smote-k and --smote-ratio need --smote.');
  }
  return validatePrepareSettings(s);
}

/** Runs `prospect prepare`; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  // The job's worker threads boot while the arguments and inputs are checked.
  void preloadPrepare({ threads: true });
  const args = parseArgs(argv, {
    values: ['features', 'labels', 'out', 'metadata', 'test-size', 'val-size', 'seed', 'clip', 'impute', 'scaler', 'smote-k', 'smote-ratio'],
    flags: ['no-stratify', 'no-clip', 'smote', 'json'],
  });
  for (const required of ['features', 'labels', 'out']) {
    if (!args.values.has(required)) throw new WorkbenchError('BAD_SETTING', `--${required} is required (prospect prepare --features F --labels L --out DIR).`);
  }
  if (args.positionals.length > 0) throw new WorkbenchError('BAD_SETTING', `unexpected argument '${args.positionals[0]}'.`);
  const settings = settingsFromArgs(args);
  let metadata: unknown;
  const metaPath = args.values.get('metadata');
  if (metaPath !== undefined) {
    let text: string;
    try {
      text = await readFile(metaPath, 'utf8');
    } catch (e) {
      throw new WorkbenchError('IO_ERROR', `Could not read the metadata file ${metaPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, metaPath);
    }
    try {
      metadata = JSON.parse(text);
    } catch (e) {
      throw new WorkbenchError('BAD_METADATA', `${metaPath} is not valid JSON: ${(e as Error).message}.`, metaPath);
    }
  }
  const out = args.values.get('out')!;
  const result = await runPrepare(
    {
      features: await pathInput(args.values.get('features')!),
      labels: await pathInput(args.values.get('labels')!),
      metadata,
      settings,
      out: dirSink(out),
    },
    { onProgress: stderrProgress(), memoryBytes: CLI_MEMORY_BYTES },
  );
  if (args.flags.has('json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  }
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  const lines = [`prepared ${result.rows} rows x ${result.features} features into ${out}/data`];
  if (result.sizes.synthetic > 0) lines.push(`  SMOTE added ${result.sizes.synthetic} synthetic training rows (marked in training/is_synthetic.npy)`);
  for (const s of result.health.splits) lines.push(`  ${s.split.padEnd(10)} ${String(s.rows).padStart(9)} rows  ${String(s.positives).padStart(7)} positives (${(100 * s.positiveFraction).toFixed(2)}%)`);
  const worst = result.health.drift.reduce((a, f) => Math.max(a, f.psiValidation, f.psiTest), 0);
  lines.push(`  drift: largest PSI ${worst.toFixed(4)}; identical rows across splits: ${result.health.leakage.trainingValidation + result.health.leakage.trainingTest + result.health.leakage.validationTest}`);
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
