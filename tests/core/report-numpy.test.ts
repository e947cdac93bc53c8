/**
 * The quality report against numpy 1.24 on committed cases (tests/fixtures/report, made by
 * scripts/ref_report.py). Tolerances (quoted in the README):
 *   counts, missing, inf, zeros, min, max, constant features, duplicate rows, labels: exact;
 *   percentiles p1..p99: exact to the bit (radix selection + numpy's linear formula);
 *   mean and std: within 1e-12 relative (in practice bit-identical: same summation order as numpy's
 *   nanmean / nanstd on a C-ordered float64 array);
 *   AUC: within 1e-3 of the exact rank-based Mann–Whitney value (radix buckets, ties counted half);
 *   Pearson correlation: within 1e-9 absolute.
 * Also: a tiny streaming window (4 KiB) and the SIMD and scalar builds give the identical report.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/engine/report';
import type { QualityReport } from '../../src/core/report-types';

const dir = fileURLToPath(new URL('../fixtures/report/', import.meta.url));
const CASES = [
  { name: 'mixed_f4', labels: true },
  { name: 'fortran_be_f8', labels: true },
  { name: 'ints_i2', labels: false },
];

function request(name: string, labels: boolean, windowBytes?: number) {
  return {
    features: { kind: 'path' as const, path: `${dir}${name}_features.npy` },
    ...(labels ? { labels: { kind: 'path' as const, path: `${dir}${name}_labels.npy` } } : {}),
    windowBytes,
  };
}

function close(actual: number | null | undefined, expected: number | null, rel: number, abs = 0) {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(expected)));
}

describe.each(CASES)('report vs numpy: $name', ({ name, labels }) => {
  const exp = JSON.parse(readFileSync(`${dir}${name}.expected.json`, 'utf8'));
  let report: QualityReport;

  it('matches numpy', async () => {
    report = await buildReport(request(name, labels));
    expect(report.n_samples).toBe(exp.n_samples);
    expect(report.n_features).toBe(exp.n_features);
    expect(report.missing_values).toEqual(exp.missing_values);
    expect(report.constant_features).toEqual(exp.constant_features);
    expect(report.duplicate_rows).toBe(exp.duplicate_rows);
    exp.features.forEach((e: Record<string, number | null>, j: number) => {
      const f = report.features[j]!;
      for (const k of ['count', 'missing', 'inf', 'zeros', 'min', 'max', 'p1', 'p25', 'p50', 'p75', 'p99', 'iqr_outliers'] as const) {
        expect([k, f[k]]).toEqual([k, e[k]]);
      }
      close(f.mean, e.mean!, 1e-12);
      close(f.std, e.std!, 1e-12);
      if (e.auc !== undefined) close(f.auc, e.auc, 0, 1e-3);
      expect(f.histogram.counts.reduce((a, b) => a + b, 0)).toBe(f.count);
    });
    exp.correlation.forEach((row: Array<number | null>, i: number) =>
      row.forEach((v, j) => close(report.correlation.matrix[i]![j], v, 0, 1e-9)),
    );
    if (labels) expect(report.labels).toMatchObject(exp.labels);
  });

  it('is identical with a 4 KiB streaming window and with the scalar build', async () => {
    const tiny = await buildReport(request(name, labels, 4096));
    const scalar = await buildReport(request(name, labels), { flavour: 'scalar' });
    const simd = await buildReport(request(name, labels), { flavour: 'simd' });
    expect(tiny).toEqual(report);
    expect(scalar).toEqual(simd);
    expect(simd).toEqual(report);
  });
});
