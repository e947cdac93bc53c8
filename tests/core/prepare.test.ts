import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { runPrepare } from '../../src/engine/prepare';
import { encodeNpy } from '../../src/core/npy-write';
import { readArrayInfo } from '../../src/core/npy';
import { bytesSource } from '../../src/core/source';
import { DEFAULT_PREPARE_SETTINGS, type PrepareSettings } from '../../src/core/prepare-types';
import { SPLIT_NAMES } from '../../src/core/split';
import { WorkbenchError } from '../../src/core/errors';
import { memorySink } from './prepare-memory-sink';

interface PrepareCase {
  n: number;
  d: number;
  settings: PrepareSettings;
  features: string;
  labels: string;
  fitted: Record<string, string[]>;
  outputs: Record<string, string>;
  first: Record<string, string[]>;
}
const cases: PrepareCase[] = JSON.parse(readFileSync(new URL('../fixtures/prepare/cases.json', import.meta.url), 'utf8')).cases;

/** Python's float.hex() of a double, for bit-exact comparison with the generator's expectations. */
function floatHex(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0x0.0p+0' : '0x0.0p+0';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  const hi = b.getUint32(0);
  const lo = b.getUint32(4);
  const sign = hi >>> 31 ? '-' : '';
  let exp = (hi >>> 20) & 0x7ff;
  const mant = ((BigInt(hi & 0xfffff) << 32n) | BigInt(lo)).toString(16).padStart(13, '0');
  const lead = exp === 0 ? '0' : '1';
  exp = exp === 0 ? -1022 : exp - 1023;
  return `${sign}0x${lead}.${mant}p${exp >= 0 ? '+' : ''}${exp}`;
}

function npyFromBase64(b64: string, shape: number[]): Uint8Array {
  const raw = Buffer.from(b64, 'base64');
  return encodeNpy('<f4', shape, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
}

async function dataOf(bytes: Uint8Array): Promise<Uint8Array> {
  const info = await readArrayInfo(bytesSource(bytes, 'x.npy'));
  return bytes.subarray(info.headerBytes);
}

describe('preprocessing parity with numpy/sklearn (tests/fixtures/prepare/cases.json)', () => {
  it('has cases for every scaler and imputation', () => {
    expect(cases.length).toBeGreaterThan(20);
    expect(new Set(cases.map((c) => c.settings.scaler))).toEqual(new Set(['robust', 'standard', 'minmax', 'none']));
  });

  for (const [ci, c] of cases.entries()) {
    const label = `case ${ci}: n=${c.n} d=${c.d} clip=${JSON.stringify(c.settings.clip)} impute=${c.settings.impute.kind} scaler=${c.settings.scaler}`;
    it(label, async () => {
      const out = memorySink();
      const result = await runPrepare({
        features: { kind: 'bytes', bytes: npyFromBase64(c.features, [c.n, c.d]), name: 'features.npy' },
        labels: { kind: 'bytes', bytes: npyFromBase64(c.labels, [c.n]), name: 'labels.npy' },
        settings: c.settings,
        out,
      });
      const f = result.fitted;
      for (const [key, want] of Object.entries(c.fitted)) {
        const got = key.startsWith('scaler.') ? f.scaler[key.slice(7)]! : (f as unknown as Record<string, Array<number | null>>)[key]!;
        expect(got.map((v) => floatHex(v as number)), key).toEqual(want);
      }
      for (const name of SPLIT_NAMES) {
        const data = await dataOf(out.files.get(`data/${name}/features.npy`)!);
        const firstVals = Array.from(new Float32Array(data.slice(0, 32).buffer).subarray(0, c.first[name]!.length), (v) => floatHex(v));
        expect(firstVals, `${name} first values`).toEqual(c.first[name]);
        expect(createHash('sha256').update(data).digest('hex'), `${name} features`).toBe(c.outputs[name]);
      }
    });
  }
});

describe('runPrepare output layout and result', () => {
  const n = 300;
  const d = 3;
  const X = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) X[i] = Math.sin(i * 12.9898) * 43758.5453 % 10;
  X[5] = NaN;
  for (let i = 0; i < 10; i++) X.copyWithin((100 + i) * d, i * d, i * d + d); // 10 duplicated rows
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % 7 === 0 ? 1 : 0;
  const req = (out: ReturnType<typeof memorySink>, settings: Partial<PrepareSettings> = {}) => ({
    features: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n, d], X), name: 'features.npy' },
    labels: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n], y), name: 'labels.npy' },
    metadata: { feature_names: ['a', 'b', 'c'], units: { a: 'nT' }, data_source: 'test' },
    settings: { ...DEFAULT_PREPARE_SETTINGS, ...settings },
    out,
  });

  it('writes every file of the bucket layout with its sha256, and provenance', async () => {
    const out = memorySink();
    const r = await runPrepare(req(out));
    const paths = [...out.files.keys()].sort();
    expect(paths).toEqual([
      'data/features_metadata.json',
      'data/preprocessor.json',
      ...['test', 'training', 'validation'].flatMap((s) => [`data/${s}/features.npy`, `data/${s}/indices.npy`, `data/${s}/labels.npy`]),
    ]);
    for (const f of r.files) {
      expect(f.sha256).toBe(createHash('sha256').update(out.files.get(f.path)!).digest('hex'));
      expect(f.bytes).toBe(out.files.get(f.path)!.length);
    }
    expect(r.inputs[0]!.sha256).toBe(createHash('sha256').update(encodeNpy('<f4', [n, d], X)).digest('hex'));
    const meta = JSON.parse(new TextDecoder().decode(out.files.get('data/features_metadata.json')));
    expect(meta.n_features).toBe(3);
    expect(meta.feature_names).toEqual(['a', 'b', 'c']);
    expect(meta.units).toEqual({ a: 'nT' });
    expect(meta.data_source).toBe('test');
    expect(meta.provenance.settings.seed).toBe(42);
    expect(meta.provenance.inputs).toHaveLength(2);
    expect(meta.provenance.files.map((f: { path: string }) => f.path)).toContain('data/preprocessor.json');
    expect(meta.provenance.sklearn_snippet.length).toBeLessThanOrEqual(15);
    expect(r.sizes).toEqual({ training: 210, validation: 45, test: 45, synthetic: 0 });
    const pos = r.health.splits.map((s) => s.positives);
    expect(pos.reduce((a, b) => a + b, 0)).toBe(43);
    // Indices are int64 row numbers; labels follow them.
    const idx = new BigInt64Array((await dataOf(out.files.get('data/test/indices.npy')!)).slice().buffer);
    const lab = new Float32Array((await dataOf(out.files.get('data/test/labels.npy')!)).slice().buffer);
    expect(idx.length).toBe(45);
    idx.forEach((v, i) => expect(lab[i]).toBe(y[Number(v)]));
  });

  it('reports leakage: rows of one split byte-identical to a row of another', async () => {
    const out = memorySink();
    const r = await runPrepare(req(out));
    const rowsOf = async (name: string) =>
      Array.from(new BigInt64Array((await dataOf(out.files.get(`data/${name}/indices.npy`)!)).slice().buffer), Number);
    const bytesOf = (row: number) => Array.from(new Uint8Array(X.buffer, row * d * 4, d * 4)).join(',');
    const shared = async (a: string, b: string) => {
      const inA = new Set((await rowsOf(a)).map(bytesOf));
      return (await rowsOf(b)).filter((row) => inA.has(bytesOf(row))).length;
    };
    const l = r.health.leakage;
    expect(l.trainingValidation).toBe(await shared('training', 'validation'));
    expect(l.trainingTest).toBe(await shared('training', 'test'));
    expect(l.validationTest).toBe(await shared('validation', 'test'));
    expect(l.trainingValidation + l.trainingTest + l.validationTest).toBeGreaterThan(0);
    expect(r.health.drift).toHaveLength(3);
    for (const dft of r.health.drift) expect(Number.isFinite(dft.psiValidation) && Number.isFinite(dft.psiTest)).toBe(true);
  });

  it('gives the same bytes and leakage for float64, big-endian and Fortran-order copies of the features', async () => {
    // Little-endian float32 in C order is read raw by the _f32 kernels; every other layout is decoded
    // to float64 first. Both routes must agree bit for bit.
    const a = memorySink();
    const ra = await runPrepare(req(a));
    const bigEndian = new Uint8Array(X.byteLength);
    const view = new DataView(bigEndian.buffer);
    X.forEach((v, i) => view.setFloat32(i * 4, v, false));
    const fortran = new Float32Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) fortran[j * n + i] = X[i * d + j]!;
    const variants = [encodeNpy('<f8', [n, d], Float64Array.from(X)), encodeNpy('>f4', [n, d], bigEndian), encodeNpy('<f4', [n, d], fortran, true)];
    for (const bytes of variants) {
      const b = memorySink();
      const rb = await runPrepare({ ...req(b), features: { kind: 'bytes' as const, bytes, name: 'features.npy' } }, { memoryBytes: 1, windowBytes: 100 });
      for (const name of SPLIT_NAMES) expect(b.files.get(`data/${name}/features.npy`)).toEqual(a.files.get(`data/${name}/features.npy`));
      expect(rb.health).toEqual(ra.health);
      expect(rb.fitted).toEqual(ra.fitted);
    }
  });

  it('hashes files given by path on the hashing thread and reads them straight into WASM memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prepare-path-'));
    try {
      const featuresBytes = encodeNpy('<f4', [n, d], X);
      const labelsBytes = encodeNpy('<f4', [n], y);
      writeFileSync(join(dir, 'features.npy'), featuresBytes);
      writeFileSync(join(dir, 'labels.npy'), labelsBytes);
      const a = memorySink();
      const b = memorySink();
      await runPrepare(req(a));
      const r = await runPrepare({
        ...req(b),
        features: { kind: 'path' as const, path: join(dir, 'features.npy') },
        labels: { kind: 'path' as const, path: join(dir, 'labels.npy') },
      }, { memoryBytes: 1, windowBytes: 100 });
      expect(r.inputs.map((f) => f.sha256)).toEqual([featuresBytes, labelsBytes].map((x) => createHash('sha256').update(x).digest('hex')));
      for (const f of r.files) expect(f.sha256).toBe(createHash('sha256').update(b.files.get(f.path)!).digest('hex'));
      for (const name of SPLIT_NAMES) expect(b.files.get(`data/${name}/features.npy`)).toEqual(a.files.get(`data/${name}/features.npy`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts the same shared rows on the leakage thread as on this one', async () => {
    const a = memorySink();
    const b = memorySink();
    const ra = await runPrepare(req(a), { leakageThread: false });
    const rb = await runPrepare(req(b), { leakageThread: true });
    expect(rb.health).toEqual(ra.health);
    expect(ra.health.leakage.trainingValidation + ra.health.leakage.trainingTest + ra.health.leakage.validationTest).toBeGreaterThan(0);
  });

  it('gives the same bytes with a tiny memory budget (many fit and apply passes)', async () => {
    const a = memorySink();
    const b = memorySink();
    await runPrepare(req(a));
    await runPrepare(req(b), { memoryBytes: 1, windowBytes: 100 });
    for (const name of SPLIT_NAMES) expect(b.files.get(`data/${name}/features.npy`)).toEqual(a.files.get(`data/${name}/features.npy`));
  });

  it('appends SMOTE rows to the training split with is_synthetic, labels and index -1', async () => {
    const out = memorySink();
    const r = await runPrepare(req(out, { smote: { k: 5 } }));
    const nTr = r.sizes.training;
    // 'auto' balances the classes: synthetic = majority - minority of the training split.
    const pos = r.health.splits[0]!.positives;
    expect(r.sizes.synthetic).toBe(nTr - pos - pos);
    const syn = await dataOf(out.files.get('data/training/is_synthetic.npy')!);
    expect(syn.length).toBe(nTr + r.sizes.synthetic);
    expect(syn.subarray(0, nTr).every((v) => v === 0) && syn.subarray(nTr).every((v) => v === 1)).toBe(true);
    const feats = await dataOf(out.files.get('data/training/features.npy')!);
    expect(feats.length).toBe((nTr + r.sizes.synthetic) * d * 4);
    const idx = new BigInt64Array((await dataOf(out.files.get('data/training/indices.npy')!)).slice().buffer);
    expect(idx[nTr]).toBe(-1n);
    const lab = new Float32Array((await dataOf(out.files.get('data/training/labels.npy')!)).slice().buffer);
    expect(Array.from(lab.subarray(nTr)).every((v) => v === 1)).toBe(true);
  });

  it('refuses bad settings, mismatched inputs and impossible SMOTE with one sentence', async () => {
    await expect(runPrepare(req(memorySink(), { testSize: 1.5 }))).rejects.toThrow(/test size must be a fraction/);
    await expect(runPrepare(req(memorySink(), { smote: { k: 40 } }))).rejects.toThrow(/needs at least 41 minority rows/);
    const badMeta = { ...req(memorySink()), metadata: { feature_names: ['a', 'b'] } };
    await expect(runPrepare(badMeta)).rejects.toMatchObject({ code: 'BAD_METADATA', message: expect.stringMatching(/feature_names lists 2 names for 3 columns/) });
    const bad = { ...req(memorySink()), labels: { kind: 'bytes' as const, bytes: encodeNpy('<f4', [n - 1], y.subarray(1)), name: 'labels.npy' } };
    const err = await runPrepare(bad).catch((e) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect(err.code).toBe('INPUT_MISMATCH');
    expect(err.message).toMatch(/labels.npy has 299 rows but features.npy has 300/);
  });

  it('reports progress phases and honours cancellation', async () => {
    const phases = new Set<string>();
    await runPrepare(req(memorySink()), { onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(expect.arrayContaining(['splitting', 'fitting', 'transforming', 'done']));
    const ac = new AbortController();
    ac.abort();
    await expect(runPrepare(req(memorySink()), { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
