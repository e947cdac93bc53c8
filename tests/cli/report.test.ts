/** `prospect report` end to end through bin/prospect.mjs: exit codes, --json parseable with the documented keys, summary text. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fx = join(root, 'tests/fixtures/report');

function prospect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', [join(root, 'bin/prospect.mjs'), 'report', ...args], { cwd: root }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('prospect report', () => {
  it('--json prints exactly the report object with the documented keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const meta = join(dir, 'features_metadata.json');
    writeFileSync(meta, JSON.stringify({ n_features: 7, feature_names: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], units: { a: 'nT' } }));
    const r = await prospect('--features', join(fx, 'mixed_f4_features.npy'), '--labels', join(fx, 'mixed_f4_labels.npy'), '--metadata', meta, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const k of ['n_samples', 'n_features', 'missing_values', 'constant_features', 'features', 'labels', 'alerts', 'duplicate_rows', 'correlation', 'dtype', 'bytes', 'files', 'workbench_version']) {
      expect(report).toHaveProperty(k);
    }
    expect(Object.keys(report.missing_values)).toEqual(['count', 'fraction', 'per_feature']);
    for (const k of ['count', 'missing', 'inf', 'zeros', 'min', 'max', 'mean', 'std', 'p1', 'p25', 'p50', 'p75', 'p99', 'iqr_outliers', 'histogram', 'auc']) {
      expect(report.features[0]).toHaveProperty(k);
    }
    for (const k of ['n', 'positives', 'negatives', 'positive_fraction', 'missing', 'invalid']) expect(report.labels).toHaveProperty(k);
    expect(report.features[0].name).toBe('a');
    expect(report.n_samples).toBe(601);
  });

  it('prints a readable summary without --json', async () => {
    const r = await prospect('--features', join(fx, 'ints_i2_features.npy'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/257 samples x 3 features, <i2/);
    expect(r.stdout).toMatch(/duplicate rows \d+/);
  });

  it.each([
    [['--features', 'missing.npy'], /^prospect report: missing\.npy: cannot open \(no such file\)\.\n$/],
    [['--features', join(fx, 'mixed_f4.expected.json')], /^prospect report: mixed_f4\.expected\.json: .*\n$/],
    [['--labels', 'x.npy'], /^prospect report: --features is required/],
    [['--features', join(fx, 'ints_i2_features.npy'), '--bogus'], /^prospect report: unknown option --bogus\n$/],
  ])('bad input %j exits 1 with one line', async (args, message) => {
    const r = await prospect(...(args as string[]));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a broken metadata file exits 1 naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-cli-'));
    const meta = join(dir, 'meta.json');
    writeFileSync(meta, '{"n_features": }');
    const r = await prospect('--features', join(fx, 'ints_i2_features.npy'), '--metadata', meta);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^prospect report: meta\.json: not valid JSON/);
  });
});

describe('prospect report on a .npz', () => {
  it('reads features and labels from archive entries named archive.npz:entry', async () => {
    const { zipSync } = await import('fflate');
    const { readFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'report-npz-'));
    const npz = join(dir, 'data.npz');
    writeFileSync(
      npz,
      zipSync({
        'features.npy': [readFileSync(join(fx, 'mixed_f4_features.npy')), { level: 6 }],
        'labels.npy': [readFileSync(join(fx, 'mixed_f4_labels.npy')), { level: 0 }],
      }),
    );
    const r = await prospect('--features', `${npz}:features.npy`, '--labels', `${npz}:labels.npy`, '--json');
    expect(r.stderr).toBe('');
    const fromNpz = JSON.parse(r.stdout);
    const direct = JSON.parse((await prospect('--features', join(fx, 'mixed_f4_features.npy'), '--labels', join(fx, 'mixed_f4_labels.npy'), '--json')).stdout);
    expect(fromNpz.files).toEqual({ features: 'data.npz:features.npy', labels: 'data.npz:labels.npy' });
    expect(fromNpz.labels.file).toBe('data.npz:labels.npy');
    const strip = (r: Record<string, unknown> & { labels: object }) => ({ ...r, files: null, labels: { ...r.labels, file: null } });
    expect(strip(fromNpz)).toEqual(strip(direct));
  });
});
