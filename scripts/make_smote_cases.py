#!/usr/bin/python3
"""Reference cases for SMOTE parity: imbalanced-learn 0.10 `SMOTE(...).fit_resample(X, y)`.

Run with Debian's python (numpy 1.24, scikit-learn 1.2, imbalanced-learn 0.10):
    /usr/bin/python3 scripts/make_smote_cases.py
Writes tests/fixtures/smote/cases.json. Inputs are stored as base64 float64 (little endian); outputs
compactly: the SHA-256 of the float64 bytes of the synthetic rows (X_resampled[n:]), the first and last
synthetic rows in full, and imblearn's neighbour table `nns` for small cases. Error cases store the
imblearn exception text only as a hint (the workbench words its own messages).
"""
import base64
import hashlib
import json
import os
import sys

import numpy as np
import sklearn
import imblearn
from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "smote", "cases.json")
# Store full inputs (features + labels) up to this many values; larger cases store only the minority
# rows and the majority count (majority rows are copied through unchanged and never read by SMOTE).
FULL_INPUT_VALUES = 4000


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f8").tobytes()).decode()


def features(rng, n, d, kind):
    if kind == "normal":
        return rng.standard_normal((n, d))
    if kind == "offset":  # far from the origin: the dot-product form loses digits like sklearn's does
        return rng.standard_normal((n, d)) * 0.5 + 40.0
    if kind == "far":  # coordinates-like values: the dot-product form would lose every digit
        return rng.standard_normal((n, d)) + 1.0e7
    if kind == "integers":  # many exact distance ties between distinct rows
        return rng.randint(-3, 4, size=(n, d)).astype(np.float64)
    if kind == "duplicates":  # about a third of the rows copy an earlier row
        X = rng.standard_normal((n, d))
        for i in range(1, n):
            if rng.rand() < 0.35:
                X[i] = X[rng.randint(0, i)]
        return X
    raise ValueError(kind)


def make_case(name, m, n_major, d, k, ratio, seed, kind, data_seed, minority_label=1.0):
    rng = np.random.RandomState(data_seed)
    n = m + n_major
    X = features(rng, n, d, kind)
    y = np.full(n, 1.0 - minority_label)
    y[rng.permutation(n)[:m]] = minority_label
    case = {
        "name": name, "m": m, "nMajority": n_major, "d": d, "k": k,
        "ratio": ratio, "seed": seed, "kind": kind,
    }
    minority = X[y == minority_label]
    full = n * d <= FULL_INPUT_VALUES
    if full:
        case["X"] = b64(X)
        case["y"] = b64(y)
    else:
        case["minority"] = b64(minority)
    try:
        Xr, yr = SMOTE(k_neighbors=k, sampling_strategy=ratio, random_state=seed).fit_resample(X, y)
    except ValueError as e:
        case["error"] = str(e)
        return case
    assert np.array_equal(Xr[:n], X) and np.array_equal(yr[:n], y)
    new = np.ascontiguousarray(Xr[n:])
    assert np.all(yr[n:] == minority_label)
    case["nSynthetic"] = int(new.shape[0])
    case["syntheticSha256"] = hashlib.sha256(new.astype("<f8").tobytes()).hexdigest()
    case["firstRows"] = new[:2].tolist()
    case["lastRows"] = new[-2:].tolist()
    nn = NearestNeighbors(n_neighbors=k + 1).fit(minority)
    case["sklearnMethod"] = nn._fit_method
    if m <= 60:
        case["nns"] = nn.kneighbors(minority, return_distance=False)[:, 1:].ravel().tolist()
    return case


def main():
    cases = []
    sizes = [(6, 20, 1), (6, 9, 3), (7, 30, 2), (12, 40, 5), (25, 80, 8), (40, 100, 16), (60, 150, 20),
             (100, 300, 4), (150, 400, 12), (257, 600, 17), (400, 1000, 20), (500, 1100, 3)]
    seeds = [0, 42, 7, 123456789, 4294967295]
    i = 0
    for (m, n_major, d) in sizes:
        for k in (1, 3, 5) if m <= 100 else (5,):
            if k >= m:
                continue
            for ratio in ("auto", 0.5):
                seed = seeds[i % len(seeds)]
                i += 1
                cases.append(make_case(f"normal m={m} d={d} k={k} ratio={ratio} seed={seed}",
                                       m, n_major, d, k, ratio, seed, "normal", 1000 + i))
    # Label 0 as the minority, a ratio of 1.0 and odd ratios.
    cases.append(make_case("minority label 0", 30, 70, 4, 5, "auto", 42, "normal", 5, minority_label=0.0))
    cases.append(make_case("ratio 1.0", 30, 70, 4, 5, 1.0, 42, "normal", 6))
    cases.append(make_case("ratio 0.37", 50, 333, 6, 5, 0.37, 3, "normal", 7))
    # Exact duplicate rows and integer data (ties), brute-force sizes (d > 15 or k+1 >= m//2).
    for (m, n_major, d, k, seed) in [(10, 30, 3, 5, 1), (40, 100, 16, 5, 2), (200, 500, 18, 5, 3),
                                      (256, 600, 20, 3, 4), (300, 700, 20, 5, 5)]:
        cases.append(make_case(f"duplicates m={m} d={d} k={k}", m, n_major, d, k, "auto", seed, "duplicates", 50 + m))
        cases.append(make_case(f"integers m={m} d={d} k={k}", m, n_major, d, k, "auto", seed, "integers", 60 + m))
    # KD-tree sizes with duplicates: its tie order differs from ours, but tied duplicates have equal
    # values, so the synthetic rows must still be identical.
    cases.append(make_case("duplicates m=150 d=5 (kd-tree)", 150, 400, 5, 5, "auto", 8, "duplicates", 81))
    cases.append(make_case("duplicates m=400 d=12 (kd-tree)", 400, 900, 12, 3, 0.9, 8, "duplicates", 82))
    # KD-tree sizes with ties between distinct rows: the order comes from sklearn's tree.
    for (m, n_major, d, k, seed) in [(60, 150, 3, 5, 21), (61, 200, 2, 3, 22), (200, 500, 4, 5, 23),
                                      (450, 1000, 8, 3, 24), (300, 700, 15, 5, 25)]:
        cases.append(make_case(f"integers m={m} d={d} k={k} (kd-tree)", m, n_major, d, k, "auto", seed, "integers", 70 + m))
    cases.append(make_case("offset m=120 d=20", 120, 300, 20, 5, "auto", 9, "offset", 77))
    cases.append(make_case("offset m=120 d=6 (kd-tree)", 120, 300, 6, 5, "auto", 9, "offset", 78))
    cases.append(make_case("far from the origin m=200 d=3 (kd-tree)", 200, 500, 3, 5, "auto", 10, "far", 79))
    cases.append(make_case("far from the origin m=50 d=2 (kd-tree)", 50, 120, 2, 3, "auto", 11, "far", 80))
    # Errors: too few minority rows, a ratio that asks for fewer rows than present, equal classes.
    cases.append(make_case("error k >= m", 4, 20, 3, 5, "auto", 0, "normal", 90))
    cases.append(make_case("error ratio below current", 30, 60, 3, 5, 0.4, 0, "normal", 91))
    cases.append(make_case("error ratio equals current", 30, 60, 3, 5, 0.5, 0, "normal", 92))
    cases.append(make_case("error ratio above 1", 30, 60, 3, 5, 1.5, 0, "normal", 93))
    cases.append(make_case("balanced classes: nothing to add", 30, 30, 3, 5, "auto", 0, "normal", 94))
    doc = {
        "generator": "scripts/make_smote_cases.py",
        "versions": {"numpy": np.__version__, "sklearn": sklearn.__version__, "imblearn": imblearn.__version__,
                     "python": sys.version.split()[0]},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(cases)} cases -> {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
