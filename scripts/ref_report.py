#!/usr/bin/env python3
"""Reference cases for the data-quality report (tests/core/report-numpy.test.ts).

Writes small .npy inputs and the numbers numpy 1.24 computes for them to tests/fixtures/report/:
  <case>_features.npy, <case>_labels.npy (optional), <case>.expected.json
Statistics follow the report's definitions, in float64 over finite values (NaN and +-inf excluded):
  mean/std = np.nanmean / np.nanstd (ddof 0) of a C-ordered float64 copy,
  p1..p99  = np.nanpercentile(method='linear'),
  iqr_outliers = finite values outside [p25 - 1.5 IQR, p75 + 1.5 IQR],
  auc      = Mann-Whitney from average ranks over non-NaN values, labels 0/1,
  correlation = np.corrcoef of the columns with non-finite values replaced by the column's nanmean,
  duplicate_rows = n - distinct rows, rows compared as bytes after NaN -> one NaN and -0 -> +0.
Run with Debian's /usr/bin/python3 (numpy 1.24.2): /usr/bin/python3 scripts/ref_report.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'fixtures', 'report')
QS = [1, 25, 50, 75, 99]


def average_ranks(x):
    # 1-based ranks with ties averaged (scipy 1.10's rankdata returns NaN when +inf and -inf both occur).
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    before = np.cumsum(counts) - counts
    return (before + (counts + 1) / 2.0)[inverse]


def jnum(x):
    x = float(x)
    return x if np.isfinite(x) else None


def expected(X, y):
    X = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    if X.ndim == 1:
        X = X[:, None]
    n, d = X.shape
    fin = np.isfinite(X)
    Xf = np.where(fin, X, np.nan)
    with np.errstate(all='ignore'):
        import warnings
        warnings.simplefilter('ignore')
        mean = np.nanmean(Xf, axis=0)
        std = np.nanstd(Xf, axis=0)
        pct = np.nanpercentile(Xf, QS, axis=0)
    feats = []
    for j in range(d):
        col = Xf[:, j]
        v = col[np.isfinite(col)]
        p = pct[:, j]
        iqr = p[3] - p[1]
        lo, hi = p[1] - 1.5 * iqr, p[3] + 1.5 * iqr
        f = {
            'count': int(v.size),
            'missing': int(np.isnan(X[:, j]).sum()),
            'inf': int(np.isinf(X[:, j]).sum()),
            'zeros': int((v == 0).sum()),
            'min': jnum(v.min()) if v.size else None,
            'max': jnum(v.max()) if v.size else None,
            'mean': jnum(mean[j]),
            'std': jnum(std[j]),
            **{f'p{q}': jnum(p[i]) for i, q in enumerate(QS)},
            'iqr_outliers': int(((v < lo) | (v > hi)).sum()) if v.size else 0,
        }
        if y is not None:
            yy = np.asarray(y, dtype=np.float64).reshape(-1)
            ok = ((yy == 0) | (yy == 1)) & ~np.isnan(X[:, j])
            xs, ys = X[ok, j], yy[ok]
            npos, nneg = int((ys == 1).sum()), int((ys == 0).sum())
            if npos and nneg:
                r = average_ranks(xs)
                f['auc'] = float((r[ys == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))
        feats.append(f)
    imputed = np.where(fin, X, np.where(np.isnan(mean), 0.0, mean))
    with np.errstate(all='ignore'):
        corr = np.corrcoef(imputed, rowvar=False) if d > 1 else np.ones((1, 1))
    canon = np.where(np.isnan(X), np.nan, X) + 0.0
    distinct = len({row.tobytes() for row in canon})
    out = {
        'n_samples': n,
        'n_features': d,
        'missing_values': {
            'count': int(np.isnan(X).sum()),
            'fraction': float(np.isnan(X).sum() / X.size),
            'per_feature': [int(c) for c in np.isnan(X).sum(axis=0)],
        },
        'constant_features': [j for j in range(d) if feats[j]['count'] > 0 and feats[j]['min'] == feats[j]['max']],
        'duplicate_rows': n - distinct,
        'features': feats,
        'correlation': [[jnum(c) for c in row] for row in np.atleast_2d(corr)],
    }
    if y is not None:
        yy = np.asarray(y, dtype=np.float64).reshape(-1)
        out['labels'] = {
            'n': int(yy.size),
            'positives': int((yy == 1).sum()),
            'negatives': int((yy == 0).sum()),
            'missing': int(np.isnan(yy).sum()),
            'invalid': int((~np.isnan(yy) & (yy != 0) & (yy != 1)).sum()),
        }
    return out


def save(case, X, y=None, fortran=False):
    np.save(os.path.join(OUT, f'{case}_features.npy'), np.asfortranarray(X) if fortran else X)
    if y is not None:
        np.save(os.path.join(OUT, f'{case}_labels.npy'), y)
    with open(os.path.join(OUT, f'{case}.expected.json'), 'w') as fh:
        json.dump(expected(X, y), fh, indent=1, allow_nan=False)
        fh.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20261204)

    # 1. float32, C order: NaN, +-inf, constant, skewed, nodata sentinel, a near-copy, a leaky feature, duplicates.
    n = 601
    y = (rng.rand(n) < 0.12).astype(np.float32)
    X = np.empty((n, 7), dtype=np.float32)
    X[:, 0] = rng.randn(n) * 3 + 10
    X[:, 1] = 4.5                                  # constant
    X[:, 2] = rng.lognormal(0, 1.5, n)             # skewed
    X[:, 3] = rng.rand(n) * 100
    X[rng.rand(n) < 0.05, 3] = -9999               # nodata sentinel
    X[:, 4] = X[:, 0] * 2 + rng.randn(n) * 0.01    # highly correlated with 0
    X[:, 5] = y * 5 + rng.rand(n)                  # leakage
    X[:, 6] = rng.randint(-3, 4, n)                # ties, zeros
    X[rng.rand(n, 7) < 0.03] = np.nan
    X[rng.rand(n, 7) < 0.01] = np.inf
    X[rng.rand(n, 7) < 0.01] = -np.inf
    X[1, 6] = -0.0
    X[10:15] = X[0:5]                              # duplicates (with any NaN in them)
    y[10:15] = y[0:5]
    save('mixed_f4', X, y)

    # 2. big-endian float64 in Fortran order, labels (n, 1) int64 with invalid and missing-free values.
    n = 333
    X = rng.randn(n, 4) * np.array([1, 1e-3, 1e6, 5]) + np.array([0, 1, -1e6, 100])
    X[rng.rand(n, 4) < 0.25] = np.nan                  # > 20 % missing
    y = (rng.rand(n, 1) < 0.3).astype('>i8')
    y[7, 0] = 2                                        # invalid label
    save('fortran_be_f8', X.astype('>f8'), y, fortran=True)

    # 3. int16 with duplicate rows and no labels.
    n = 257
    X = rng.randint(-5, 6, size=(n, 3)).astype('<i2')
    save('ints_i2', X)


if __name__ == '__main__':
    main()
