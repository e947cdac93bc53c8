// Extra parity checks against imbalanced-learn run now, on cases too large to commit: larger minority
// classes (sklearn's parallel-on-X heap path), duplicates and integer ties, with sklearn's own OpenMP
// thread count. Skipped, with the reason printed, when /usr/bin/python3 lacks imblearn.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { smoteSynthesize } from '../../src/engine/smote';

const PYTHON = '/usr/bin/python3';

function pythonHasImblearn(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import imblearn, sklearn, numpy'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `${PYTHON} cannot import imblearn/sklearn/numpy (${(e as Error).message.split('\n')[0]})`;
  }
}

const skipReason = pythonHasImblearn();
if (skipReason) console.warn(`smote-live tests skipped: ${skipReason}`);

// Builds each case in numpy, runs SMOTE and prints one JSON line per case: the minority rows, the hash of
// the synthetic rows and sklearn's thread count (its tie order between 256 and 1024 × threads rows
// depends on it). One Python process serves every case (importing imblearn takes about a second).
const SCRIPT = `
import sys, json, base64, hashlib
import numpy as np
from imblearn.over_sampling import SMOTE
from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
for spec in json.loads(sys.argv[1]):
    m, n_major, d, k, seed, kind, ratio = spec
    ratio = ratio if ratio == "auto" else float(ratio)
    rng = np.random.RandomState(seed)
    n = m + n_major
    X = rng.randint(-2, 3, size=(n, d)).astype(np.float64) if kind == "integers" else rng.standard_normal((n, d))
    if kind == "duplicates":
        for i in range(1, n):
            if rng.rand() < 0.3: X[i] = X[rng.randint(0, i)]
    y = np.zeros(n); y[rng.permutation(n)[:m]] = 1
    Xr, yr = SMOTE(k_neighbors=k, sampling_strategy=ratio, random_state=seed).fit_resample(X, y)
    print(json.dumps({"minority": base64.b64encode(X[y == 1].astype("<f8").tobytes()).decode(),
                      "sha": hashlib.sha256(np.ascontiguousarray(Xr[n:]).tobytes()).hexdigest(),
                      "threads": _openmp_effective_n_threads()}))
`;

type Spec = readonly [number, number, number, number, number, string, string];
const SPECS: Spec[] = [
  [2500, 6000, 30, 5, 11, 'duplicates', 'auto'],
  [3000, 9000, 8, 5, 12, 'normal', 'auto'],
  [1500, 4000, 6, 5, 16, 'duplicates', 'auto'],
  [3000, 7000, 5, 5, 17, 'integers', 'auto'],
  [5000, 9000, 3, 5, 18, 'integers', '0.9'],
  [2000, 5000, 12, 4, 19, 'integers', 'auto'],
  [2200, 5000, 24, 3, 13, 'integers', '0.8'],
  [700, 2000, 20, 5, 14, 'duplicates', 'auto'],
  [900, 2500, 17, 4, 15, 'integers', 'auto'],
];

// Brute-force sizes whose tie order depends on sklearn's thread count, run with OMP_NUM_THREADS = 3
// and 4 (sklearn then uses that many threads even on fewer cores).
const THREADED_SPECS: [string, Spec[]][] = [
  ['3', [[1300, 3000, 18, 5, 21, 'integers', 'auto'], [2500, 5000, 20, 3, 22, 'duplicates', 'auto']]],
  ['4', [[3000, 7000, 20, 5, 23, 'integers', 'auto'], [1000, 3000, 16, 4, 24, 'integers', 'auto']]],
];

interface PyResult {
  minority: string;
  sha: string;
  threads: number;
}

describe.skipIf(skipReason !== null)('SMOTE parity with imblearn run now', () => {
  const results = new Map<Spec, PyResult>();
  beforeAll(() => {
    const runs: [Spec[], NodeJS.ProcessEnv][] = [
      [SPECS, process.env],
      ...THREADED_SPECS.map(([threads, specs]) => [specs, { ...process.env, OMP_NUM_THREADS: threads }] as [Spec[], NodeJS.ProcessEnv]),
    ];
    for (const [specs, env] of runs) {
      const out = execFileSync(PYTHON, ['-c', SCRIPT, JSON.stringify(specs)], { maxBuffer: 256 * 2 ** 20, env });
      out.toString().trim().split('\n').forEach((line: string, i: number) => results.set(specs[i]!, JSON.parse(line)));
    }
  }, 120_000);

  const all = [...SPECS, ...THREADED_SPECS.flatMap(([, specs]) => specs)];
  it.each(all.map((spec) => [...spec, spec] as const))(
    'm=%i majority=%i d=%i k=%i seed=%i %s ratio=%s',
    async (m, nMajority, d, k, seed, _kind, ratio, spec) => {
      const py = results.get(spec)!;
      const bytes = Buffer.from(py.minority, 'base64');
      const minority = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      expect(minority.length).toBe(m * d);
      const hash = createHash('sha256');
      await smoteSynthesize(minority, d, nMajority, { k, ratio: ratio === 'auto' ? 'auto' : Number(ratio), seed, sklearnThreads: py.threads }, {
        onRows: (rows) => void hash.update(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength)),
      });
      expect(hash.digest('hex')).toBe(py.sha);
    },
  );
});
