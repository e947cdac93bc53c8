/**
 * The prepare pipeline's contract: settings (defaults = the seed's Python recipe), the request the
 * engine takes and the result it returns. Pure data, shared by the page, the worker and the CLI.
 */
import { WorkbenchError } from './errors';
import type { InputRef } from './input';
import type { OutputSink } from './sink';

export type ImputeSetting =
  | { kind: 'median' }
  | { kind: 'mean' }
  | { kind: 'constant'; value: number }
  | { kind: 'none' };

export type ScalerKind = 'robust' | 'standard' | 'minmax' | 'none';

export interface SmoteSetting {
  /** Nearest minority neighbours per sample (imbalanced-learn's k_neighbors). */
  k: number;
  /** 'auto' balances the classes; a number is the minority/majority ratio after resampling. */
  ratio?: number | 'auto';
  /** RandomState seed of the synthetic draws (defaults to the split seed). */
  seed?: number;
}

export interface PrepareSettings {
  /** Fraction of all rows for the test split (sklearn test_size of the first call). */
  testSize: number;
  /** Fraction of the remaining rows for validation (test_size of the second call). */
  valSize: number;
  seed: number;
  stratify: boolean;
  /** Clip each feature to these training percentiles (np.nanpercentile, linear), or no clipping. */
  clip: { lo: number; hi: number } | null;
  impute: ImputeSetting;
  scaler: ScalerKind;
  smote: SmoteSetting | null;
}

/** The seed's recipe: 0.15 / 0.176 stratified split with seed 42, clip 1–99, median, RobustScaler. */
export const DEFAULT_PREPARE_SETTINGS: PrepareSettings = Object.freeze({
  testSize: 0.15,
  valSize: 0.176,
  seed: 42,
  stratify: true,
  clip: { lo: 1, hi: 99 },
  impute: { kind: 'median' },
  scaler: 'robust',
  smote: null,
}) as PrepareSettings;

function fraction(name: string, v: unknown): void {
  if (typeof v !== 'number' || !(v > 0 && v < 1)) {
    throw new WorkbenchError('BAD_SETTING', `The ${name} must be a fraction strictly between 0 and 1, got ${String(v)}.`);
  }
}

/** Checks every setting; throws BAD_SETTING with one sentence naming the first bad one. */
export function validatePrepareSettings(s: PrepareSettings): PrepareSettings {
  if (!s || typeof s !== 'object') throw new WorkbenchError('BAD_SETTING', 'The prepare settings are missing.');
  fraction('test size', s.testSize);
  fraction('validation size', s.valSize);
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff) {
    throw new WorkbenchError('BAD_SETTING', `The seed must be an integer between 0 and 4294967295, got ${String(s.seed)}.`);
  }
  if (typeof s.stratify !== 'boolean') throw new WorkbenchError('BAD_SETTING', `The stratify setting must be true or false, got ${String(s.stratify)}.`);
  if (s.clip !== null) {
    const { lo, hi } = s.clip ?? ({} as { lo: unknown; hi: unknown });
    if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo >= 0 && lo <= hi && hi <= 100)) {
      throw new WorkbenchError('BAD_SETTING', `The clip percentiles must satisfy 0 <= low <= high <= 100, got ${String(lo)} and ${String(hi)}.`);
    }
  }
  const kinds = ['median', 'mean', 'constant', 'none'];
  if (!s.impute || !kinds.includes(s.impute.kind)) {
    throw new WorkbenchError('BAD_SETTING', `The imputation must be one of ${kinds.join(', ')}, got ${String(s.impute?.kind)}.`);
  }
  if (s.impute.kind === 'constant' && !Number.isFinite(s.impute.value)) {
    throw new WorkbenchError('BAD_SETTING', `The constant imputation value must be a finite number, got ${String(s.impute.value)}.`);
  }
  if (!['robust', 'standard', 'minmax', 'none'].includes(s.scaler)) {
    throw new WorkbenchError('BAD_SETTING', `The scaler must be robust, standard, minmax or none, got ${String(s.scaler)}.`);
  }
  if (s.smote !== null) {
    if (!s.smote || !Number.isInteger(s.smote.k) || s.smote.k < 1) {
      throw new WorkbenchError('BAD_SETTING', `The SMOTE neighbour count k must be a positive integer, got ${String(s.smote?.k)}.`);
    }
    const r = s.smote.ratio;
    if (r !== undefined && r !== 'auto' && !(typeof r === 'number' && r > 0 && r <= 1)) {
      throw new WorkbenchError('BAD_SETTING', `The SMOTE ratio must be 'auto' or a number in (0, 1], got ${String(r)}.`);
    }
    if (s.smote.seed !== undefined && (!Number.isInteger(s.smote.seed) || s.smote.seed < 0 || s.smote.seed > 0xffffffff)) {
      throw new WorkbenchError('BAD_SETTING', `The SMOTE seed must be an integer between 0 and 4294967295, got ${String(s.smote.seed)}.`);
    }
  }
  return s;
}

export interface PrepareRequest {
  features: InputRef;
  labels: InputRef;
  /** An existing features_metadata.json (parsed), whose descriptive fields are carried over. */
  metadata?: unknown;
  settings: PrepareSettings;
  /** Where `data/...` is written (a folder, OPFS, a zip stream). */
  out: OutputSink;
}

/** Fitted parameters of one feature column, in float64 (numpy's values to the last bit). */
export interface ColumnParams {
  /** Clip bounds (np.nanpercentile of the training column), or null without clipping. */
  clipLo: number | null;
  clipHi: number | null;
  /** The value missing entries are replaced with, or null without imputation. */
  fill: number | null;
  /** Scaling: robust/standard x' = (x - a) / b; minmax x' = x * a + b (sklearn's scale_, min_); none: unused. */
  a: number;
  b: number;
}

export interface FittedPreprocessor {
  settings: Pick<PrepareSettings, 'clip' | 'impute' | 'scaler'>;
  nFeatures: number;
  /** Non-missing training values per column. */
  trainingCount: number[];
  clipLo: Array<number | null>;
  clipHi: Array<number | null>;
  /** SimpleImputer.statistics_ (NaN where a column has no training value: then filled with 0, see README). */
  impute: Array<number | null>;
  /** Scaler parameters as sklearn names them (center_/scale_, mean_/scale_, data_min_/data_max_/scale_/min_). */
  scaler: Record<string, number[]>;
  /** What the apply kernel uses per column (see ColumnParams). */
  columns: ColumnParams[];
}

export interface SplitHealthRow {
  split: 'training' | 'validation' | 'test';
  rows: number;
  positives: number;
  positiveFraction: number;
}

export interface FeatureDrift {
  feature: string;
  /** Population stability index against training deciles (validation, test). */
  psiValidation: number;
  psiTest: number;
}

export interface SplitHealth {
  splits: SplitHealthRow[];
  drift: FeatureDrift[];
  /** Raw input rows identical in two splits (exact byte equality of the feature row). */
  leakage: { trainingValidation: number; trainingTest: number; validationTest: number };
}

export interface OutputFileInfo {
  path: string;
  bytes: number;
  sha256: string;
}

export interface PrepareResult {
  rows: number;
  features: number;
  sizes: { training: number; validation: number; test: number; synthetic: number };
  settings: PrepareSettings;
  fitted: FittedPreprocessor;
  health: SplitHealth;
  files: OutputFileInfo[];
  inputs: OutputFileInfo[];
  warnings: string[];
}
