import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNpy } from '../../src/core/npy-write';
import { buildZip } from '../core/npz-zip-builder';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROSPECT = join(ROOT, 'bin/prospect.mjs');

function prospect(args: string[]) {
  const r = spawnSync(process.execPath, [PROSPECT, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('prospect (dispatcher)', () => {
  it('prints a command\'s options for --help and exits 0', () => {
    const r = prospect(['prepare', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--smote-k');
    expect(r.stdout).toContain('--scaler robust|standard|minmax|none');
  });

  it('refuses an unknown command with the usage and exit code 1', () => {
    const r = prospect(['frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('prospect prepare');
  });
});

describe('prospect prepare with arrays inside an .npz', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prospect-npz-'));
    const n = 300;
    const d = 3;
    const X = new Float32Array(n * d).map((_, i) => Math.sin(i * 0.37) * 10);
    const y = new Float32Array(n).map((_, i) => (i % 4 === 0 ? 1 : 0));
    const fx = encodeNpy('<f4', [n, d], X);
    const fy = encodeNpy('<f4', [n], y);
    writeFileSync(join(dir, 'f.npy'), fx);
    writeFileSync(join(dir, 'l.npy'), fy);
    writeFileSync(join(dir, 'a.npz'), buildZip([{ name: 'X.npy', data: fx }, { name: 'y.npy', data: fy }]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same files as the plain .npy inputs (archive.npz:entry)', () => {
    const plain = prospect(['prepare', '--features', join(dir, 'f.npy'), '--labels', join(dir, 'l.npy'), '--out', join(dir, 'p')]);
    const zipped = prospect(['prepare', '--features', `${join(dir, 'a.npz')}:X`, '--labels', `${join(dir, 'a.npz')}:y.npy`, '--out', join(dir, 'z')]);
    expect(plain.code).toBe(0);
    expect(zipped.code).toBe(0);
    for (const f of ['training/features.npy', 'validation/labels.npy', 'test/indices.npy']) {
      expect(readFileSync(join(dir, 'z/data', f)).equals(readFileSync(join(dir, 'p/data', f)))).toBe(true);
    }
  });

  it('names the archive and the missing entry', () => {
    const r = prospect(['prepare', '--features', `${join(dir, 'a.npz')}:nope`, '--labels', join(dir, 'l.npy'), '--out', join(dir, 'q')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('a.npz');
    expect(r.stderr).toContain('nope');
  });
});
