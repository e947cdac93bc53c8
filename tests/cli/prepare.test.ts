import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/core/npy-write';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROSPECT = join(ROOT, 'bin/prospect.mjs');

function prospect(args: string[]) {
  const r = spawnSync(process.execPath, [PROSPECT, 'prepare', ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function hasSklearn(): string | null {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 is missing';
  const r = spawnSync('/usr/bin/python3', ['-c', 'import numpy, sklearn, imblearn'], { encoding: 'utf8' });
  return r.status === 0 ? null : '/usr/bin/python3 lacks numpy, scikit-learn or imbalanced-learn';
}

describe('prospect prepare (CLI, end to end)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prospect-prepare-'));
    const n = 500;
    const d = 4;
    const X = new Float32Array(n * d);
    for (let i = 0; i < X.length; i++) X[i] = ((i * 7919) % 1013) / 10 - 50;
    X[3] = NaN;
    const y = new Float32Array(n).map((_, i) => (i % 3 === 0 ? 1 : 0));
    writeFileSync(join(dir, 'f.npy'), encodeNpy('<f4', [n, d], X));
    writeFileSync(join(dir, 'l.npy'), encodeNpy('<f4', [n], y));
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ feature_names: ['mag', 'grav', 'cu', 'dem'], data_source: 'unit test' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes DIR/data/... and prints the split health', () => {
    const r = prospect(['--features', join(dir, 'f.npy'), '--labels', join(dir, 'l.npy'), '--out', join(dir, 'out'), '--metadata', join(dir, 'meta.json')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/prepared 500 rows x 4 features/);
    expect(r.stdout).toMatch(/training\s+350 rows/);
    const meta = JSON.parse(readFileSync(join(dir, 'out/data/features_metadata.json'), 'utf8'));
    expect(meta.feature_names).toEqual(['mag', 'grav', 'cu', 'dem']);
    expect(meta.data_source).toBe('unit test');
    for (const s of ['training', 'validation', 'test']) {
      for (const f of ['features', 'labels', 'indices']) expect(existsSync(join(dir, `out/data/${s}/${f}.npy`))).toBe(true);
    }
  });

  it.each([
    [['--test-size', '1.2'], /test size must be a fraction/],
    [['--impute', 'mode'], /--impute must be median, mean, constant:V or none/],
    [['--scaler', 'log'], /--scaler must be robust, standard, minmax or none/],
    [['--clip', '99'], /--clip must be LOW,HIGH/],
    [['--clip', '1,99', '--no-clip'], /either --clip or --no-clip/],
    [['--seed', '1.5'], /seed must be an integer/],
    [['--smote', '--smote-k', '0'], /SMOTE neighbour count k must be a positive integer/],
    [['--smote-k', '3'], /--smote-k and --smote-ratio need --smote/],
    [['--smote', '--smote-k', '400'], /needs at least 401 minority rows/],
    [['--bogus'], /unknown option --bogus/],
  ])('refuses %j with exit 1 and one line', (extra, message) => {
    const r = prospect(['--features', join(dir, 'f.npy'), '--labels', join(dir, 'l.npy'), '--out', join(dir, 'bad'), ...(extra as string[])]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it('refuses a missing input file and mismatched rows with exit 1', () => {
    const missing = prospect(['--features', join(dir, 'nope.npy'), '--labels', join(dir, 'l.npy'), '--out', join(dir, 'bad')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    writeFileSync(join(dir, 'l2.npy'), encodeNpy('<f4', [10], new Float32Array(10)));
    const mism = prospect(['--features', join(dir, 'f.npy'), '--labels', join(dir, 'l2.npy'), '--out', join(dir, 'bad')]);
    expect(mism.code).toBe(1);
    expect(mism.stderr).toMatch(/l2.npy has 10 rows but f.npy has 500/);
  });

  it.each(['labels', 'features'])('refuses a truncated %s file with exit 1 and one line naming it', (which) => {
    // The header promises 500 rows; the data stops 100 rows short.
    const whole = readFileSync(join(dir, which === 'labels' ? 'l.npy' : 'f.npy'));
    const rowBytes = which === 'labels' ? 4 : 16;
    writeFileSync(join(dir, `cut-${which}.npy`), whole.subarray(0, whole.length - 100 * rowBytes));
    const r = prospect([
      '--features', join(dir, which === 'features' ? 'cut-features.npy' : 'f.npy'),
      '--labels', join(dir, which === 'labels' ? 'cut-labels.npy' : 'l.npy'),
      '--out', join(dir, 'bad'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cut-${which}.npy`);
    expect(r.stderr).toMatch(/truncated|ends early|shorter|expected/i);
  });

  it('adds SMOTE rows to the training split and says so', () => {
    const r = prospect(['--features', join(dir, 'f.npy'), '--labels', join(dir, 'l.npy'), '--out', join(dir, 'smote'), '--smote']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SMOTE added \d+ synthetic training rows/);
    expect(existsSync(join(dir, 'smote/data/training/is_synthetic.npy'))).toBe(true);
  });

  const skip = hasSklearn();
  if (skip) console.log(`skipping the sklearn round trip: ${skip}`);
  it.skipIf(skip !== null).each([
    ['default recipe', [], {}],
    ['mean + standard, not stratified', ['--impute', 'mean', '--scaler', 'standard', '--no-stratify', '--seed', '3'], { impute: { kind: 'mean' }, scaler: 'standard', stratify: false, seed: 3 }],
    ['SMOTE k=3 ratio 0.5 after the default recipe', ['--smote', '--smote-k', '3', '--smote-ratio', '0.5'], { smote: { k: 3, ratio: 0.5 } }],
    ['constant + minmax, 0.07 test size', ['--no-clip', '--impute', 'constant:2', '--scaler', 'minmax', '--test-size', '0.07', '--val-size', '0.14'], { clip: null, impute: { kind: 'constant', value: 2 }, scaler: 'minmax', testSize: 0.07, valSize: 0.14 }],
  ])('round trip against the real sklearn recipe: %s', (_name, extra, overrides) => {
    const gen = join(dir, 'gen');
    execFileSync('/usr/bin/python3', [
      '-c',
      `import numpy as np, sys
rs = np.random.RandomState(int(sys.argv[2]))
X = (rs.standard_normal((3001, 7)) * 20 + 3).astype(np.float32)
X[:, 1] = np.round(X[:, 1])
X[rs.random_sample(X.shape) < 0.03] = np.nan
np.save(sys.argv[1] + "_f.npy", X)
np.save(sys.argv[1] + "_l.npy", (rs.random_sample(3001) < 0.04).astype(np.float32))`,
      gen,
      String(extra.length),
    ]);
    const out = join(dir, `rt${extra.length}`);
    const r = prospect(['--features', `${gen}_f.npy`, '--labels', `${gen}_l.npy`, '--out', out, ...(extra as string[])]);
    expect(r.code, r.stderr).toBe(0);
    const settings = { testSize: 0.15, valSize: 0.176, seed: 42, stratify: true, clip: { lo: 1, hi: 99 }, impute: { kind: 'median' }, scaler: 'robust', ...overrides };
    const check = execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/make_prepare_cases.py'), '--check', `${gen}_f.npy`, `${gen}_l.npy`, out, JSON.stringify(settings)], { encoding: 'utf8' });
    expect(JSON.parse(check)).toEqual({ ok: true, problems: [] });
  });
});
