/** `prospect inspect` end to end: the real bin script in a child process. */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npyBytes } from '../core/npy-decode';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(ROOT, 'tests', 'fixtures', 'npy');

function prospect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin', 'prospect.mjs'), ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'inspect-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('prospect inspect', () => {
  it('--json on a .npy prints exactly the documented object', async () => {
    const r = await prospect('inspect', join(FIXTURES, 'f4_be_F_v2.npy'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"version": "2.0", "dtype": ">f4", "shape": [3, 2], "fortran_order": true, "header_bytes": 128, "data_bytes": 24}\n');
  });

  it('--json on a .npz prints one object per array with its name', async () => {
    const r = await prospect('inspect', join(FIXTURES, 'deflated.npz'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'features.npy', version: '1.0', dtype: '<f4', shape: [5, 3], fortran_order: false, header_bytes: 128, data_bytes: 60 },
      { name: 'labels.npy', version: '1.0', dtype: '<i8', shape: [5], fortran_order: false, header_bytes: 128, data_bytes: 40 },
      { name: 'long.npy', version: '1.0', dtype: '<f8', shape: [100000], fortran_order: false, header_bytes: 128, data_bytes: 800000 },
    ]);
  });

  it('human-readable output names the dtype, shape and order', async () => {
    const r = await prospect('inspect', join(FIXTURES, 'empty_rows_f8.npy'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dtype    <f8 (float64, little endian)');
    expect(r.stdout).toContain('shape    (0, 2) — 0 rows × 2 columns (empty)');
    expect(r.stdout).toContain('order    C (row-major)');
  });

  it('trailing bytes: --json stays clean on stdout, the warning goes to stderr', async () => {
    const path = join(tmp, 'trailing.npy');
    writeFileSync(path, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8, 3));
    const r = await prospect('inspect', path, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data_bytes).toBe(8);
    expect(r.stderr).toBe('prospect inspect: warning: trailing.npy: 3 trailing bytes after the data are ignored.\n');
  });

  it.each([
    ['pickle.npy', npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", 8), "object dtype 'O' is refused"],
    ['three_d.npy', npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 2), }", 32), '3-D arrays are not supported'],
    ['junk.npy', new TextEncoder().encode('not numpy at all'), 'not a .npy file'],
    ['junk.npz', new TextEncoder().encode('not a zip either'), 'not a zip archive'],
  ])('a hostile %s: exit 1, one line on stderr naming the file, no stack', async (name, bytes, reason) => {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    const r = await prospect('inspect', path, '--json');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`prospect inspect: ${name}: `), lines[0]).toBe(true);
    expect(lines[0]).toContain(reason);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing file and a bad option are one-line errors too', async () => {
    const missing = await prospect('inspect', join(tmp, 'missing.npy'));
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`prospect inspect: ${join(tmp, 'missing.npy')}: cannot open (no such file).`);
    const badOption = await prospect('inspect', join(FIXTURES, 'stored.npz'), '--jsn');
    expect(badOption.code).toBe(1);
    expect(badOption.stderr.trim()).toBe('prospect inspect: unknown option --jsn');
  });
});
