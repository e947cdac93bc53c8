#!/usr/bin/python3
"""Reference cases for the two-stage split (tests/fixtures/split/cases.json).

Run with Debian's Python (numpy 1.24, scikit-learn 1.2.1):  /usr/bin/python3 scripts/make_split_cases.py

Labels are stored compactly so the file stays small:
  {"labels": [...]}                        explicit values (small cases)
  {"runs": [[value, count], ...]}          run lengths
  {"hash": {"n": N, "salt": S, "cuts": [c1, ...]}}
      r = ((i * 2654435761 + S) mod 2^32) mod 10000 for row i; label = number of cuts <= r
Expected index arrays are stored whole when short, else as {"len", "first20", "sha256"} where sha256 is
over the little-endian int32 bytes of the whole array.
"""
import hashlib
import json
import warnings

import numpy as np
from sklearn.model_selection import train_test_split

FULL_MAX = 64


def hash_labels(n, salt, cuts):
    i = np.arange(n, dtype=np.uint64)
    r = ((i * np.uint64(2654435761) + np.uint64(salt)) % np.uint64(2**32)) % np.uint64(10000)
    y = np.zeros(n, dtype=np.float64)
    for c in cuts:
        y += (r >= np.uint64(c)).astype(np.float64)
    return y


def labels_of(spec):
    if "labels" in spec:
        return np.asarray(spec["labels"], dtype=np.float64)
    if "runs" in spec:
        return np.concatenate([np.full(c, v, dtype=np.float64) for v, c in spec["runs"]])
    h = spec["hash"]
    return hash_labels(h["n"], h["salt"], h["cuts"])


def pack(a):
    a = np.asarray(a, dtype=np.int64)
    if len(a) <= FULL_MAX:
        return a.tolist()
    return {"len": int(len(a)), "first20": a[:20].tolist(), "sha256": hashlib.sha256(a.astype("<i4").tobytes()).hexdigest()}


def recipe(y, test_size, val_size, seed, stratify):
    idx = np.arange(len(y))
    temp, test = train_test_split(idx, test_size=test_size, random_state=seed, stratify=y if stratify else None)
    tr, va = train_test_split(temp, test_size=val_size, random_state=seed, stratify=y[temp] if stratify else None)
    return tr, va, test


def error_kind(msg):
    if "least populated class" in msg:
        return "least_populated"
    if "train_size" in msg and "number of classes" in msg:
        return "train_lt_classes"
    if "test_size" in msg and "number of classes" in msg:
        return "test_lt_classes"
    if "resulting train set will be empty" in msg:
        return "empty_train"
    return "other: " + msg


def case(spec, test_size=0.15, val_size=0.176, seed=42, stratify=True, note=""):
    y = labels_of(spec)
    out = {"spec": spec, "testSize": test_size, "valSize": val_size, "seed": seed, "stratify": stratify, "note": note}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tr, va, te = recipe(y, test_size, val_size, seed, stratify)
        out["expected"] = {"training": pack(tr), "validation": pack(va), "test": pack(te)}
    except ValueError as e:
        out["error"] = error_kind(str(e))
    return out


def main():
    rs = np.random.RandomState(12345)
    cases = []
    # The worked examples of the reference.
    cases.append(case({"runs": [[0, 14], [1, 6]]}, note="reference worked example"))
    cases.append(case({"runs": [[0, 14], [1, 6]]}, stratify=False, note="reference worked example, not stratified"))
    # Many small sizes with explicit random labels, several seeds and positive fractions.
    for n in [2, 3, 5, 7, 10, 11, 13, 20, 37, 50, 64, 99, 100, 128, 200]:
        for frac in [0.03, 0.1, 0.3, 0.5]:
            y = (rs.random_sample(n) < frac).astype(int)
            for seed in [42, 0, 7]:
                for stratify in [True, False]:
                    cases.append(case({"labels": y.tolist()}, seed=seed, stratify=stratify, note=f"n={n} frac={frac}"))
    # Multiclass, including tiny classes and equal counts (ties in _approximate_mode use the RNG).
    for n, k in [(30, 3), (60, 4), (90, 3), (100, 5), (240, 6), (500, 7)]:
        y = rs.randint(0, k, size=n)
        for seed in [42, 1]:
            cases.append(case({"labels": y.tolist()}, seed=seed, note=f"multiclass n={n} k={k}"))
    cases.append(case({"runs": [[0, 10], [1, 10], [2, 10]]}, note="equal counts"))
    cases.append(case({"runs": [[0, 33], [1, 33], [2, 33], [3, 33]]}, note="equal counts, 4 classes"))
    cases.append(case({"labels": [2, 0, 1, 2, 1, 0, 2, 1, 0, 0, 1, 2, 5, 5, 7, 7, 7, -1, -1, 0.5, 0.5]}, note="unsorted non-integer classes"))
    # Tiny classes: errors in stage 1 and in stage 2, classes of 2 and 3.
    cases.append(case({"runs": [[0, 50], [1, 1]]}, note="class of 1: stage-1 error"))
    cases.append(case({"runs": [[0, 50], [1, 2]]}, note="class of 2"))
    cases.append(case({"runs": [[0, 50], [1, 3]]}, note="class of 3"))
    cases.append(case({"runs": [[0, 5], [1, 2], [0, 5]]}, note="class of 2, small n"))
    cases.append(case({"runs": [[0, 6], [1, 6], [2, 6], [3, 6], [4, 6], [5, 6], [6, 6], [7, 6], [8, 6], [9, 6]]}, note="test part smaller than classes"))
    cases.append(case({"runs": [[0, 3], [1, 3], [2, 3], [3, 3], [4, 3], [5, 3], [6, 3], [7, 3]]}, note="many tiny classes"))
    cases.append(case({"labels": [0]}, note="one row"))
    cases.append(case({"labels": [0, 1]}, note="two rows"))
    cases.append(case({"runs": [[1, 40]]}, note="single class"))
    for n in range(2, 40):
        y = (np.arange(n) % 3 == 0).astype(int)
        cases.append(case({"labels": y.tolist()}, note=f"every third positive n={n}"))
    # Test sizes whose float64 ceil differs from rational arithmetic.
    for ts in [0.07, 0.14, 0.28]:
        for n in [100, 200, 300, 700, 1000, 1300, 2900]:
            spec = {"hash": {"n": n, "salt": n * 7 + 1, "cuts": [8000]}}
            for stratify in [True, False]:
                cases.append(case(spec, test_size=ts, val_size=ts, stratify=stratify, note=f"float-ceil test_size={ts}"))
    # Larger sizes (hashed labels), several positive fractions and seeds.
    for n in [257, 1000, 1999, 5000]:
        for cuts in [[9700], [9000], [5000], [3000, 6000, 9000]]:
            for seed in [42, 2024]:
                cases.append(case({"hash": {"n": n, "salt": 17 + n, "cuts": cuts}}, seed=seed, note=f"n={n} cuts={cuts}"))
                cases.append(case({"hash": {"n": n, "salt": 17 + n, "cuts": cuts}}, seed=seed, stratify=False, note=f"n={n} cuts={cuts}"))
    for n in [100003, 131072]:
        cases.append(case({"hash": {"n": n, "salt": 99, "cuts": [9700]}}, note=f"large n={n}"))
        cases.append(case({"hash": {"n": n, "salt": 5, "cuts": [2000, 9990]}}, seed=7, note=f"large 3-class n={n}"))
    cases.append(case({"hash": {"n": 100003, "salt": 3, "cuts": [9700]}}, stratify=False, note="large, not stratified"))
    cases.append(case({"hash": {"n": 1000, "salt": 1, "cuts": [9700]}}, seed=4294967295, note="largest seed"))
    with open("tests/fixtures/split/cases.json", "w") as f:
        json.dump({"generator": "scripts/make_split_cases.py", "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
    print(len(cases), "cases;", sum("error" in c for c in cases), "errors")


if __name__ == "__main__":
    main()
