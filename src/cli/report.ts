/**
 * `prospect report --features F [--labels L] [--metadata M] [--json] [--window-mib N]`: the
 * data-quality report on the same engine as the page. With --json, stdout carries exactly the
 * report object the page exports (NaN / ±inf as null); otherwise a readable summary. Progress goes
 * to stderr on a terminal only. An input inside a .npz is named `archive.npz:entry.npy`.
 */
import { readFile } from 'node:fs/promises';
import { WorkbenchError } from '../core/errors';
import type { InputRef } from '../core/input';
import { parseFeaturesMetadata } from '../core/metadata';
import type { QualityReport } from '../core/report-types';
import { buildReport } from '../engine/report';
import { numberOption, parseArgs, stderrProgress } from './args';
import { mustExist, pathInput } from './inputs';

const USAGE = 'usage: prospect report --features F [--labels L] [--metadata M] [--json]';
const MiB = 1024 * 1024;

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  const parsed = parseArgs(args, { values: ['features', 'labels', 'metadata', 'window-mib'], flags: ['json'] });
  if (parsed.positionals.length > 0) throw new WorkbenchError('BAD_SETTING', `unexpected argument '${parsed.positionals[0]}'; ${USAGE}`);
  const featuresPath = parsed.values.get('features');
  if (!featuresPath) throw new WorkbenchError('BAD_SETTING', `--features is required; ${USAGE}`);
  const features = await pathInput(featuresPath);
  const labelsPath = parsed.values.get('labels');
  const labels = labelsPath ? await pathInput(labelsPath) : undefined;
  const metadataPath = parsed.values.get('metadata');
  let metadata: unknown;
  let metadataName: string | undefined;
  if (metadataPath) {
    metadataName = metadataPath.split(/[\\/]/).pop()!;
    metadata = parseFeaturesMetadata(await readText(metadataPath), metadataName);
  }
  const windowMib = numberOption(parsed, 'window-mib', 0);
  if (windowMib < 0) throw new WorkbenchError('BAD_SETTING', '--window-mib must be positive');
  const report = await buildReport(
    { features, labels, metadata, metadataName, ...(windowMib > 0 ? { windowBytes: Math.round(windowMib * MiB) } : {}) },
    { onProgress: stderrProgress() },
  );
  if (parsed.flags.has('json')) process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(summary(report));
  return 0;
}


async function readText(path: string): Promise<string> {
  await mustExist(path);
  return readFile(path, 'utf8');
}

const num = (x: number | null | undefined, digits = 4): string => {
  if (x === null || x === undefined) return '-';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return String(Number(x.toPrecision(digits)));
};

/** The readable summary printed without --json. */
export function summary(r: QualityReport): string {
  const lines: string[] = [];
  lines.push(`features  ${r.files.features}: ${r.n_samples} samples x ${r.n_features} features, ${r.dtype}${r.fortran_order ? ' (Fortran order)' : ''}, ${(r.bytes / MiB).toFixed(1)} MiB`);
  if (r.labels) {
    const l = r.labels;
    lines.push(`labels    ${l.file}: n=${l.n}, ${l.positives} positive / ${l.negatives} negative (${num(l.positive_fraction === null ? null : 100 * l.positive_fraction, 3)}%), missing ${l.missing}, invalid ${l.invalid}`);
  }
  lines.push(`missing   ${r.missing_values.count} values (${num(r.missing_values.fraction === null ? null : 100 * r.missing_values.fraction, 3)}%), infinite ${r.inf_values.count}`);
  lines.push(`constant  ${r.constant_features.length ? r.constant_features.join(', ') : 'none'}`);
  lines.push(`duplicate rows ${r.duplicate_rows ?? 'not checked'}`);
  lines.push('');
  const head = ['#', 'name', 'count', 'missing', 'min', 'p50', 'max', 'mean', 'std', ...(r.labels ? ['auc'] : [])];
  const rows = r.features.map((f) => [
    String(f.index),
    f.name + (f.unit ? ` [${f.unit}]` : ''),
    String(f.count),
    String(f.missing),
    num(f.min),
    num(f.p50),
    num(f.max),
    num(f.mean),
    num(f.std),
    ...(r.labels ? [num(f.auc, 3)] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmtRow = (row: string[]) => row.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(fmtRow(head));
  for (const row of rows) lines.push(fmtRow(row));
  lines.push('');
  if (r.alerts.length === 0) lines.push('alerts    none');
  else {
    lines.push(`alerts    ${r.alerts.length}`);
    for (const a of r.alerts) lines.push(`  ${a.severity.padEnd(7)} ${a.code}: ${a.message}`);
  }
  return lines.join('\n') + '\n';
}
