#!/usr/bin/python3
"""Reference cases for the preprocessing (tests/fixtures/prepare/cases.json), and a checker.

  /usr/bin/python3 scripts/make_prepare_cases.py                 writes the committed cases
  /usr/bin/python3 scripts/make_prepare_cases.py --check F L DIR SETTINGS_JSON
      runs the sklearn recipe on F/L and compares with what `prospect prepare` wrote to DIR/data;
      prints one JSON object {"ok": bool, "problems": [...]}

The reference is the recipe in float64 (numpy 1.24, scikit-learn 1.2.1):
  two train_test_split calls -> np.clip to np.nanpercentile(X_train, [lo, hi], axis=0)
  -> SimpleImputer(keep_empty_features=True) -> RobustScaler | StandardScaler | MinMaxScaler -> float32.
Inputs of each case are generated from a seed by `make_input` (NumPy RandomState), and the test rebuilds
them from the stored float32 bytes (base64) since they are small.
"""
import base64
import hashlib
import json
import sys
import warnings

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler


def split(y, s):
    idx = np.arange(len(y))
    strat = s["stratify"]
    temp, test = train_test_split(idx, test_size=s["testSize"], random_state=s["seed"], stratify=y if strat else None)
    tr, va = train_test_split(temp, test_size=s["valSize"], random_state=s["seed"], stratify=y[temp] if strat else None)
    return tr, va, test


def reference(X, y, s):
    """Returns (indices per split, fitted dict, float32 outputs per split)."""
    X = np.asarray(X, dtype=np.float64)
    tr, va, te = split(y, s)
    Xs = [X[tr], X[va], X[te]]
    fitted = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if s["clip"] is not None:
            lo = np.nanpercentile(Xs[0], s["clip"]["lo"], axis=0)
            hi = np.nanpercentile(Xs[0], s["clip"]["hi"], axis=0)
            Xs = [np.clip(a, lo, hi) for a in Xs]
            fitted["clipLo"], fitted["clipHi"] = lo, hi
        imp = s["impute"]
        if imp["kind"] != "none":
            kw = {"strategy": imp["kind"]} if imp["kind"] != "constant" else {"strategy": "constant", "fill_value": imp["value"]}
            im = SimpleImputer(keep_empty_features=True, **kw).fit(Xs[0])
            Xs = [im.transform(a) for a in Xs]
            fitted["impute"] = im.statistics_
        sc = {"robust": RobustScaler, "standard": StandardScaler, "minmax": MinMaxScaler}.get(s["scaler"])
        if sc is not None:
            m = sc().fit(Xs[0])
            Xs = [m.transform(a) for a in Xs]
            names = {"robust": ["center_", "scale_"], "standard": ["mean_", "var_", "scale_"], "minmax": ["data_min_", "data_max_", "scale_", "min_"]}[s["scaler"]]
            for k in names:
                fitted["scaler." + k] = getattr(m, k)
        ytr = y[tr]
        if s.get("smote"):
            from imblearn.over_sampling import SMOTE
            sm = s["smote"]
            ratio = sm.get("ratio", "auto")
            X_res, y_res = SMOTE(k_neighbors=sm["k"], sampling_strategy=ratio, random_state=sm.get("seed", s["seed"])).fit_resample(Xs[0], ytr)
            Xs[0] = X_res
            fitted["_smote_labels"] = y_res
    return (tr, va, te), fitted, [a.astype(np.float32) for a in Xs]


def hexes(a):
    return [float(v).hex() for v in np.asarray(a, dtype=np.float64)]


SETTINGS = [
    {"clip": {"lo": 1, "hi": 99}, "impute": {"kind": "median"}, "scaler": "robust"},
    {"clip": {"lo": 5, "hi": 95}, "impute": {"kind": "mean"}, "scaler": "standard"},
    {"clip": None, "impute": {"kind": "constant", "value": -1.5}, "scaler": "minmax"},
    {"clip": {"lo": 0, "hi": 100}, "impute": {"kind": "none"}, "scaler": "robust"},
    {"clip": {"lo": 2.5, "hi": 97.5}, "impute": {"kind": "median"}, "scaler": "none"},
    {"clip": None, "impute": {"kind": "mean"}, "scaler": "robust"},
    {"clip": {"lo": 1, "hi": 99}, "impute": {"kind": "median"}, "scaler": "standard"},
]


def make_input(seed, n, d, nan_frac, pos_frac):
    rs = np.random.RandomState(seed)
    X = (rs.standard_normal((n, d)) * rs.uniform(0.1, 100, d) + rs.uniform(-50, 50, d)).astype(np.float32)
    if d > 2:
        X[:, 1] = np.round(X[:, 1] / 10)  # many ties
        X[:, 2] = 7.0  # constant column (scale rule)
    X[rs.random_sample((n, d)) < nan_frac] = np.nan
    if d > 3 and n > 20:
        X[: n // 2, 3] = np.nan  # half-missing column
    y = (rs.random_sample(n) < pos_frac).astype(np.float32)
    return X, y


def sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def main():
    cases = []
    shapes = [(40, 3, 0.0), (97, 4, 0.1), (250, 5, 0.05), (599, 4, 0.02), (600, 4, 0.02), (1203, 6, 0.2), (60, 1, 0.1)]
    for ci, (n, d, nan_frac) in enumerate(shapes):
        X, y = make_input(1000 + ci, n, d, nan_frac, 0.3)
        for si, st in enumerate(SETTINGS):
            if (ci + si) % 2 == 1 and n > 100:
                continue  # keep the file small: every other combination for the larger inputs
            s = dict(st, testSize=0.15, valSize=0.176, seed=42 + si, stratify=True)
            (tr, va, te), fitted, outs = reference(X, y, s)
            cases.append({
                "n": n, "d": d, "settings": s,
                "features": base64.b64encode(X.astype("<f4").tobytes()).decode(),
                "labels": base64.b64encode(y.astype("<f4").tobytes()).decode(),
                "fitted": {k: hexes(v) for k, v in fitted.items()},
                "outputs": {name: sha(o.astype("<f4")) for name, o in zip(["training", "validation", "test"], outs)},
                "first": {name: hexes(o.ravel()[:8]) for name, o in zip(["training", "validation", "test"], outs)},
            })
    with open("tests/fixtures/prepare/cases.json", "w") as f:
        json.dump({"generator": "scripts/make_prepare_cases.py", "numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
    print(len(cases), "cases")


def check(fpath, lpath, outdir, settings_json):
    s = json.loads(settings_json)
    X = np.load(fpath)
    y = np.load(lpath).reshape(-1)
    (tr, va, te), fitted, outs = reference(X, y, s)
    problems = []
    pre = json.load(open(f"{outdir}/data/preprocessor.json"))
    smote_labels = fitted.pop("_smote_labels", None)
    for name, idx, o in zip(["training", "validation", "test"], [tr, va, te], outs):
        got_f = np.load(f"{outdir}/data/{name}/features.npy")
        got_l = np.load(f"{outdir}/data/{name}/labels.npy")
        got_i = np.load(f"{outdir}/data/{name}/indices.npy")
        want_l = y[idx].astype(np.float32)
        if name == "training" and smote_labels is not None:
            extra = len(smote_labels) - len(idx)
            idx = np.concatenate([idx, np.full(extra, -1)])
            want_l = np.asarray(smote_labels, dtype=np.float32)
            syn = np.load(f"{outdir}/data/training/is_synthetic.npy")
            if syn.dtype != np.bool_ or not np.array_equal(syn, idx < 0):
                problems.append("training/is_synthetic differs")
        if got_i.dtype != np.int64 or not np.array_equal(got_i, idx):
            problems.append(f"{name}/indices differ")
        if got_l.dtype != np.float32 or not np.array_equal(got_l, want_l):
            problems.append(f"{name}/labels differ")
        if got_f.dtype != np.float32 or got_f.shape != o.shape:
            problems.append(f"{name}/features dtype/shape {got_f.dtype} {got_f.shape} vs {o.shape}")
        elif got_f.tobytes() != o.tobytes():
            bad = np.argwhere(~((got_f == o) | (np.isnan(got_f) & np.isnan(o))))
            problems.append(f"{name}/features: {len(bad)} values differ, first at {bad[:3].tolist()}")
    def num(v):
        return float(v) if not isinstance(v, str) else float(v)
    for key, want in fitted.items():
        if key.startswith("scaler."):
            got = pre["scaler"][key[len("scaler."):]]
        else:
            got = pre[key]
        got = np.array([num(v) for v in got], dtype=np.float64)
        if got.tobytes() != np.asarray(want, dtype=np.float64).tobytes() and not np.array_equal(got, want, equal_nan=True):
            problems.append(f"fitted {key} differs: {hexes(got)[:4]} vs {hexes(want)[:4]}")
    print(json.dumps({"ok": not problems, "problems": problems}))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        check(*sys.argv[2:6])
    else:
        main()
