/**
 * The two-stage split of the Python recipe, row for row like scikit-learn 1.2:
 *
 *   (temp, test) = train_test_split(…, test_size=testSize, stratify=y,       random_state=seed)
 *   (train, val) = train_test_split(…, test_size=valSize,  stratify=y[temp], random_state=seed)
 *
 * Sizes come from `validateShuffleSplit` (float64 ceil, as sklearn); the draws run in WASM
 * (assembly/rng.ts, assembly/split.ts) so 4M labels split in well under a second. Reference:
 * ../shared/REFERENCE-sklearn.md §1–3.
 */
import { WorkbenchError } from './errors';
import type { Kernels } from '../engine/wasm';

/** The most distinct label values a stratified split accepts (a label column, not a regression target). */
export const MAX_CLASSES = 4096;
/** A split with fewer positives than this gets a warning: metrics on it would be noise. */
export const MIN_POSITIVES_PER_SPLIT = 10;

export interface SplitOptions {
  /** Fraction of all rows for the test split, in (0, 1). */
  testSize: number;
  /** Fraction of the remaining rows for the validation split, in (0, 1). */
  valSize: number;
  /** Integer seed in [0, 2^32 - 1]: numpy's RandomState(seed). */
  seed: number;
  /** Stratify by label (both stages), or a plain shuffled split. */
  stratify: boolean;
}

export type SplitName = 'training' | 'validation' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['training', 'validation', 'test'];

/** Original row numbers of each split, in sklearn's order, plus label counts per split. */
export interface ThreeWaySplit {
  training: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
  /** Distinct label values in np.unique order. */
  classes: number[];
  /** Rows per class (same order as `classes`) in each split. */
  classCounts: Record<SplitName, number[]>;
  warnings: string[];
}

/** sklearn's `_validate_shuffle_split` for a float test size and no train size: `[nTrain, nTest]`. */
export function validateShuffleSplit(n: number, testSize: number, stage = 'the split'): [number, number] {
  if (!(testSize > 0 && testSize < 1)) {
    throw new WorkbenchError('BAD_SETTING', `The test size of ${stage} must be a fraction strictly between 0 and 1, got ${testSize}.`);
  }
  // Exactly sklearn: a binary64 product, then ceil (0.07 * 100 = 7.000000000000001 -> 8 rows).
  const nTest = Math.ceil(testSize * n);
  const nTrain = n - nTest;
  if (nTrain <= 0) {
    throw new WorkbenchError(
      'SPLIT_IMPOSSIBLE',
      `With n_samples=${n}, test_size=${testSize} the training part of ${stage} would be empty; use more rows or a smaller test size.`,
    );
  }
  return [nTrain, nTest];
}

/** Numeric label values for messages: integers without a trailing `.0`. */
function labelText(v: number): string {
  return Number.isInteger(v) ? String(v) : String(v);
}

interface StageResult {
  /** Positions (into the stage's rows) of its train part. */
  trainPtr: number;
  testPtr: number;
  nTrain: number;
  nTest: number;
  /** Rows per class (of the stage's classes) of each part; a stratified stage knows them. */
  trainCounts?: number[];
  testCounts?: number[];
}

/** Rows (0-based, into the stage input) of one `train_test_split` call, run in WASM. */
function runStage(
  kernels: Kernels,
  stage: string,
  yIdxPtr: number,
  n: number,
  classes: number[],
  testSize: number,
  seed: number,
  stratify: boolean,
): StageResult {
  const x = kernels.exports;
  const [nTrain, nTest] = validateShuffleSplit(n, testSize, stage);
  if (!stratify) {
    const perm = kernels.alloc(n * 4);
    x.split_shuffled(seed >>> 0, n, perm);
    // ShuffleSplit: test comes first in the permutation, then train.
    return { trainPtr: perm + nTest * 4, testPtr: perm, nTrain, nTest };
  }
  const k = classes.length;
  const countsPtr = kernels.alloc(Math.max(1, k) * 4);
  x.split_class_counts(yIdxPtr, n, k, countsPtr);
  const counts = Array.from(kernels.u32(countsPtr, k));
  let least = 0;
  for (let c = 1; c < k; c++) if (counts[c]! < counts[least]!) least = c;
  if (counts[least]! < 2) {
    throw new WorkbenchError(
      'SPLIT_IMPOSSIBLE',
      `Stratified ${stage} is impossible: label ${labelText(classes[least]!)} has only ${counts[least]} row there, and every class needs at least 2 (sklearn raises the same error); merge or drop that class, or turn stratification off.`,
    );
  }
  if (nTrain < k) {
    throw new WorkbenchError('SPLIT_IMPOSSIBLE', `Stratified ${stage} is impossible: its training part would have ${nTrain} rows, fewer than the ${k} classes.`);
  }
  if (nTest < k) {
    throw new WorkbenchError('SPLIT_IMPOSSIBLE', `Stratified ${stage} is impossible: its test part would have ${nTest} rows, fewer than the ${k} classes; use a larger test size.`);
  }
  const trainPtr = kernels.alloc(nTrain * 4);
  const testPtr = kernels.alloc(nTest * 4);
  const partCounts = kernels.alloc(2 * k * 4);
  x.split_stratified(seed >>> 0, yIdxPtr, n, k, countsPtr, nTrain, nTest, trainPtr, testPtr, partCounts, partCounts + k * 4);
  const both = Array.from(kernels.u32(partCounts, 2 * k));
  return { trainPtr, testPtr, nTrain, nTest, trainCounts: both.slice(0, k), testCounts: both.slice(k) };
}

/**
 * Splits rows by their labels like the recipe's two `train_test_split` calls. `labels` are float64
 * values (one per row, no NaN). Throws SPLIT_IMPOSSIBLE with sklearn's reason, BAD_SETTING for bad
 * sizes or seeds. Uses (and resets) the given kernel instance's arena.
 */
export function splitRecipe(kernels: Kernels, labels: Float64Array, opts: SplitOptions): ThreeWaySplit {
  const { testSize, valSize, seed, stratify } = opts;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new WorkbenchError('BAD_SETTING', `The seed must be an integer between 0 and 4294967295, got ${seed}.`);
  }
  const n = labels.length;
  if (n >= 2 ** 32) throw new WorkbenchError('BAD_SETTING', `The split supports up to 4294967295 rows, got ${n}.`);
  const x = kernels.exports;
  kernels.reset();
  const labelsPtr = kernels.alloc(n * 8);
  kernels.f64(labelsPtr, n).set(labels);
  const yIdxPtr = kernels.alloc(n * 4);
  const classesPtr = kernels.alloc(MAX_CLASSES * 8);
  const k = x.split_label_classes(labelsPtr, n, yIdxPtr, classesPtr, MAX_CLASSES) as number;
  if (k === -2) throw new WorkbenchError('BAD_SETTING', 'The labels contain NaN; every row needs a label to be split.');
  if (k === -1) {
    if (stratify) {
      throw new WorkbenchError('BAD_SETTING', `The labels have more than ${MAX_CLASSES} distinct values, so they cannot be stratified; turn stratification off.`);
    }
  }
  const classes = k >= 0 ? Array.from(kernels.f64(classesPtr, k)) : [];

  // Stage 1 on all rows: temp (= later train + validation) and test, as original row numbers.
  const s1 = runStage(kernels, 'the first split (test)', yIdxPtr, n, classes, testSize, seed, stratify);
  const nTemp = s1.nTrain;
  // Stage 2 on y[temp] in temp's order; classes absent from temp drop out of np.unique.
  const yTempPtr = kernels.alloc(nTemp * 4);
  let classes2 = classes;
  if (k >= 0) {
    x.split_gather_u32(yIdxPtr, s1.trainPtr, nTemp, yTempPtr);
    const countsPtr = kernels.alloc(Math.max(1, k) * 4);
    x.split_class_counts(yTempPtr, nTemp, k, countsPtr);
    const counts = kernels.u32(countsPtr, k);
    if (counts.some((c) => c === 0)) {
      const table = kernels.alloc(k * 4);
      const t = kernels.u32(table, k);
      classes2 = [];
      for (let c = 0; c < k; c++) {
        t[c] = classes2.length;
        if (counts[c]! > 0) classes2.push(classes[c]!);
      }
      x.split_remap_u32(yTempPtr, nTemp, table);
    }
  }
  const s2 = runStage(kernels, 'the second split (validation)', yTempPtr, nTemp, classes2, valSize, seed, stratify);
  const trainPtr = kernels.alloc(s2.nTrain * 4);
  const valPtr = kernels.alloc(s2.nTest * 4);
  x.split_gather_u32(s1.trainPtr, s2.trainPtr, s2.nTrain, trainPtr);
  x.split_gather_u32(s1.trainPtr, s2.testPtr, s2.nTest, valPtr);

  const parts: Record<SplitName, [number, number]> = {
    training: [trainPtr, s2.nTrain],
    validation: [valPtr, s2.nTest],
    test: [s1.testPtr, s1.nTest],
  };
  // Class counts per split: from the stratified stages (stage 2's classes are those present in temp),
  // else counted.
  const classCounts = {} as Record<SplitName, number[]>;
  const out = {} as Record<SplitName, Uint32Array>;
  const warnings: string[] = [];
  const inStage1 = (counts2: number[]) => classes.map((c) => (classes2.includes(c) ? counts2[classes2.indexOf(c)]! : 0));
  const known: Partial<Record<SplitName, number[]>> =
    k >= 0 && s1.testCounts && s2.trainCounts && s2.testCounts
      ? { training: inStage1(s2.trainCounts), validation: inStage1(s2.testCounts), test: s1.testCounts }
      : {};
  for (const name of SPLIT_NAMES) {
    const [ptr, len] = parts[name];
    if (known[name]) {
      classCounts[name] = known[name]!;
    } else if (k >= 0) {
      const countsPtr = kernels.alloc(Math.max(1, k) * 4);
      x.split_class_counts_at(yIdxPtr, ptr, len, k, countsPtr);
      classCounts[name] = Array.from(kernels.u32(countsPtr, k));
    } else {
      classCounts[name] = [];
    }
    out[name] = kernels.u32(ptr, len).slice();
  }
  if (k >= 0 && k <= 2) {
    for (const name of SPLIT_NAMES) {
      const positives = positivesOf(classes, classCounts[name]);
      if (positives < MIN_POSITIVES_PER_SPLIT) {
        warnings.push(`The ${name} split has only ${positives} positive row${positives === 1 ? '' : 's'} (fewer than ${MIN_POSITIVES_PER_SPLIT}); its metrics will be unreliable.`);
      }
    }
  }
  kernels.reset();
  return { ...out, classes, classCounts, warnings };
}

/** Positive rows = rows whose label is not 0 (for 0/1 labels: the 1s). */
export function positivesOf(classes: number[], counts: number[]): number {
  let p = 0;
  for (let c = 0; c < classes.length; c++) if (classes[c] !== 0) p += counts[c] ?? 0;
  return p;
}
