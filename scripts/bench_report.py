#!/usr/bin/python3
"""numpy's equivalent of the quality report, timed: /usr/bin/python3 scripts/bench_report.py FEATURES

np.load, NaN and ±inf counts, nanmin/nanmax/nanmean/nanstd (float64), nanpercentile 1/25/50/75/99 and the
constant features, per column. Prints one JSON line: {"seconds": wall time from np.load to the last
result, "cpu_seconds": user + system CPU of the process, "maxrss_bytes": peak resident memory}.
"""
import json
import resource
import sys
import time

import numpy as np


def main(features):
    t0 = time.perf_counter()
    X = np.load(features)
    missing = np.isnan(X).sum(axis=0)
    infinite = np.isinf(X).sum(axis=0)
    lo = np.nanmin(X, axis=0)
    hi = np.nanmax(X, axis=0)
    mean = np.nanmean(X, axis=0, dtype=np.float64)
    std = np.nanstd(X, axis=0, dtype=np.float64)
    percentiles = np.nanpercentile(X, [1, 25, 50, 75, 99], axis=0)
    constant = np.flatnonzero(lo == hi)
    seconds = time.perf_counter() - t0
    assert missing.shape == infinite.shape == mean.shape == std.shape == (X.shape[1],) and percentiles.shape == (5, X.shape[1]) and constant.ndim == 1
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "maxrss_bytes": usage.ru_maxrss * 1024}))


if __name__ == "__main__":
    main(sys.argv[1])
