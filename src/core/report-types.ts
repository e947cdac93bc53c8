/**
 * The data-quality report: what is asked (`ReportRequest`) and what comes back (`QualityReport`),
 * the same object for the page's JSON export and `prospect report --json`. Key names follow the
 * seed's `check_data_quality` where it has them (n_samples, n_features, missing_values{count,
 * fraction, per_feature}, constant_features). The object is JSON-safe: every number that would be
 * NaN or ±inf (e.g. the mean of a column with no finite value) is `null`.
 */
import type { InputRef } from './input';

export interface ReportRequest {
  features: InputRef;
  labels?: InputRef;
  /** Parsed features_metadata.json (validated by the engine against the seed schema). */
  metadata?: unknown;
  /** File name of the metadata, for messages. */
  metadataName?: string;
  /** Raw bytes per streaming window (default CHUNK_BYTES); tests use tiny windows. */
  windowBytes?: number;
}

/** A JSON-safe number: null stands for NaN / ±inf. */
export type JsonNumber = number | null;

export interface FeatureReport {
  index: number;
  /** From features_metadata.json, else `feature_<index>`. */
  name: string;
  unit?: string;
  type?: string;
  /** Finite values. */
  count: number;
  /** NaN values. */
  missing: number;
  /** ±inf values (also split as pos_inf / neg_inf). */
  inf: number;
  pos_inf: number;
  neg_inf: number;
  zeros: number;
  min: JsonNumber;
  max: JsonNumber;
  mean: JsonNumber;
  /** Population standard deviation (ddof 0). */
  std: JsonNumber;
  /** Fisher–Pearson skewness g1 = m3 / m2^1.5 (null when std is 0). */
  skewness: JsonNumber;
  p1: JsonNumber;
  p25: JsonNumber;
  p50: JsonNumber;
  p75: JsonNumber;
  p99: JsonNumber;
  /** Finite values outside [p25 - 1.5 IQR, p75 + 1.5 IQR]. */
  iqr_outliers: number;
  /** Equal-width bins over [min, max] (the last bin closed): counts.length bins, edges = bins + 1. */
  histogram: { min: JsonNumber; max: JsonNumber; counts: number[] };
  /** Mann–Whitney AUC of positives vs negatives (labels given, both classes present). */
  auc?: JsonNumber;
}

export interface LabelReport {
  file: string;
  n: number;
  /** Distinct non-NaN values, ascending (at most MAX_DISTINCT_LABELS listed; ±inf as null). */
  distinct: JsonNumber[];
  n_distinct: number;
  positives: number;
  negatives: number;
  positive_fraction: JsonNumber;
  /** NaN labels. */
  missing: number;
  /** Non-NaN labels other than 0 and 1. */
  invalid: number;
  /** Labels length differs from n_samples. */
  length_mismatch: boolean;
}

export type AlertSeverity = 'error' | 'warning' | 'info';

export interface Alert {
  severity: AlertSeverity;
  code: string;
  /** Column index the alert is about, if any. */
  feature?: number;
  message: string;
}

export interface QualityReport {
  workbench_version: string;
  files: { features: string; labels?: string; metadata?: string };
  dtype: string;
  shape: number[];
  fortran_order: boolean;
  /** Data bytes of the features array. */
  bytes: number;
  n_samples: number;
  n_features: number;
  missing_values: { count: number; fraction: JsonNumber; per_feature: number[] };
  inf_values: { count: number; per_feature: number[] };
  /** Columns whose finite values are all equal (at least one finite value). */
  constant_features: number[];
  /**
   * Rows equal to an earlier row (NaN equal to NaN, -0 equal to +0). Exact: rows whose 32-bit hash
   * repeats are compared value by value, so a hash collision is never counted. null = not checked.
   */
  duplicate_rows: number | null;
  features: FeatureReport[];
  labels?: LabelReport;
  /** Pearson r on mean-imputed columns (see `method`); matrix[i][j], null where undefined. */
  correlation: { method: string; matrix: JsonNumber[][] };
  alerts: Alert[];
  /** Streaming passes made over the features file. */
  passes: number;
  /** Reader warnings (e.g. trailing bytes). */
  warnings: string[];
}
