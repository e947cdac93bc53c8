#!/usr/bin/python3
"""The users' Python recipe, timed: /usr/bin/python3 scripts/bench_recipe.py FEATURES LABELS OUTDIR

Two stratified train_test_split calls (0.15, then 0.176, random_state=42), clipping to the training
1st/99th percentiles, SimpleImputer(median), RobustScaler, np.save of every split. Prints one JSON line:
{"seconds": wall time including load and save, "cpu_seconds": user + system CPU of the whole
process (numpy may use more than one thread), "maxrss_bytes": peak resident memory}.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import RobustScaler


def main(features, labels, out):
    t0 = time.perf_counter()
    X = np.load(features)
    y = np.load(labels)
    X_temp, X_test, y_temp, y_test = train_test_split(X, y, test_size=0.15, stratify=y, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_temp, y_temp, test_size=0.176, stratify=y_temp, random_state=42)
    lo = np.nanpercentile(X_train, 1, axis=0)
    hi = np.nanpercentile(X_train, 99, axis=0)
    X_train, X_val, X_test = (np.clip(a, lo, hi) for a in (X_train, X_val, X_test))
    imputer = SimpleImputer(strategy="median").fit(X_train)
    X_train, X_val, X_test = (imputer.transform(a) for a in (X_train, X_val, X_test))
    scaler = RobustScaler().fit(X_train)
    X_train, X_val, X_test = (scaler.transform(a) for a in (X_train, X_val, X_test))
    for name, Xs, ys in (("training", X_train, y_train), ("validation", X_val, y_val), ("test", X_test, y_test)):
        os.makedirs(f"{out}/data/{name}", exist_ok=True)
        np.save(f"{out}/data/{name}/features.npy", Xs.astype(np.float32))
        np.save(f"{out}/data/{name}/labels.npy", ys.astype(np.float32))
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    maxrss = usage.ru_maxrss * 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "maxrss_bytes": maxrss}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
