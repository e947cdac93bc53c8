/**
 * `features_metadata.json` — the seed's schema (S3_DATA_REQUIREMENTS.md §3) as a TypeScript type, a
 * strict parser, and the checks of a metadata file against the arrays it describes. Used by the
 * report (names, units, types), by prepare (writes it) and by the S3 bucket doctor.
 */
import { WorkbenchError } from './errors';

/** The seed's features_metadata.json. Every key is optional; extra keys are kept as they are. */
export interface FeaturesMetadata {
  n_features?: number;
  feature_names?: string[];
  /** Type name -> column indices, e.g. {"geophysical": [0, 1]}. */
  feature_types?: Record<string, number[]>;
  /** Feature name -> unit, e.g. {"elevation": "m"}. */
  units?: Record<string, string>;
  normalization?: { method?: string; description?: string; [extra: string]: unknown };
  spatial_info?: { coordinate_system?: string; spatial_resolution?: string; [extra: string]: unknown };
  data_source?: string;
  date_collected?: string;
  /** A list of steps (seed §3) or one sentence (the seed's preparation script). */
  preprocessing?: string | string[];
  [extra: string]: unknown;
}

/** One disagreement between a metadata file and the arrays. */
export interface MetadataProblem {
  code: 'METADATA_N_FEATURES' | 'METADATA_NAMES_COUNT' | 'METADATA_TYPE_INDEX' | 'METADATA_DUPLICATE_NAME' | 'METADATA_UNIT_NAME';
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses the text of a features_metadata.json; a JSON or schema error names the file and the key. */
export function parseFeaturesMetadata(text: string, fileName: string): FeaturesMetadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new WorkbenchError('BAD_METADATA', `${fileName}: not valid JSON (${(e as Error).message}).`, fileName);
  }
  return validateFeaturesMetadata(value, fileName);
}

/** Checks the types of already-parsed metadata against the seed schema (wrong-typed keys are errors). */
export function validateFeaturesMetadata(value: unknown, fileName: string): FeaturesMetadata {
  const bad = (key: string, want: string): never => {
    throw new WorkbenchError('BAD_METADATA', `${fileName}: "${key}" must be ${want}.`, fileName);
  };
  if (!isObject(value)) bad('(top level)', 'a JSON object');
  const m = value as Record<string, unknown>;
  if (m.n_features !== undefined && !(Number.isInteger(m.n_features) && (m.n_features as number) >= 0)) bad('n_features', 'a non-negative integer');
  if (m.feature_names !== undefined && !isStringArray(m.feature_names)) bad('feature_names', 'a list of strings');
  if (m.feature_types !== undefined) {
    if (!isObject(m.feature_types)) bad('feature_types', 'an object of type name -> list of column indices');
    for (const [type, idx] of Object.entries(m.feature_types as Record<string, unknown>)) {
      if (!Array.isArray(idx) || !idx.every((i) => Number.isInteger(i))) bad(`feature_types.${type}`, 'a list of integer column indices');
    }
  }
  if (m.units !== undefined) {
    if (!isObject(m.units)) bad('units', 'an object of feature name -> unit');
    for (const [name, unit] of Object.entries(m.units as Record<string, unknown>)) {
      if (typeof unit !== 'string') bad(`units.${name}`, 'a string');
    }
  }
  for (const key of ['normalization', 'spatial_info'] as const) {
    if (m[key] !== undefined && !isObject(m[key])) bad(key, 'an object');
  }
  for (const key of ['data_source', 'date_collected'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string') bad(key, 'a string');
  }
  if (m.preprocessing !== undefined && typeof m.preprocessing !== 'string' && !isStringArray(m.preprocessing)) {
    bad('preprocessing', 'a string or a list of strings');
  }
  return m as FeaturesMetadata;
}

/** Problems of `meta` against arrays with `nFeatures` columns (empty when they agree). */
export function checkMetadataAgainst(meta: FeaturesMetadata, nFeatures: number): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  if (meta.n_features !== undefined && meta.n_features !== nFeatures) {
    problems.push({ code: 'METADATA_N_FEATURES', message: `n_features is ${meta.n_features} but the features have ${nFeatures} columns.` });
  }
  const names = meta.feature_names;
  if (names && names.length !== nFeatures) {
    problems.push({ code: 'METADATA_NAMES_COUNT', message: `feature_names lists ${names.length} names for ${nFeatures} columns.` });
  }
  if (names) {
    const seen = new Set<string>();
    const repeated = new Set(names.filter((n) => (seen.has(n) ? true : (seen.add(n), false))));
    if (repeated.size > 0) {
      problems.push({ code: 'METADATA_DUPLICATE_NAME', message: `feature_names repeats ${[...repeated].map((n) => `"${n}"`).join(', ')}.` });
    }
  }
  for (const [type, idx] of Object.entries(meta.feature_types ?? {})) {
    const out = idx.filter((i) => i < 0 || i >= nFeatures);
    if (out.length > 0) {
      problems.push({ code: 'METADATA_TYPE_INDEX', message: `feature_types.${type} has indices out of range 0..${nFeatures - 1}: ${out.join(', ')}.` });
    }
  }
  if (meta.units && names) {
    const known = new Set(names);
    const unknown = Object.keys(meta.units).filter((n) => !known.has(n));
    if (unknown.length > 0) {
      problems.push({ code: 'METADATA_UNIT_NAME', message: `units names features not in feature_names: ${unknown.join(', ')}.` });
    }
  }
  return problems;
}

/** Name, unit and type of each of the `nFeatures` columns per the metadata (name defaults to feature_<i>). */
export function featureAnnotations(meta: FeaturesMetadata | undefined, nFeatures: number): Array<{ name: string; unit?: string; type?: string }> {
  const out = Array.from({ length: nFeatures }, (_, i) => ({ name: `feature_${i}` }) as { name: string; unit?: string; type?: string });
  if (!meta) return out;
  meta.feature_names?.forEach((name, i) => {
    if (i < nFeatures) out[i]!.name = name;
  });
  for (const f of out) {
    const unit = meta.units?.[f.name];
    if (unit !== undefined) f.unit = unit;
  }
  for (const [type, idx] of Object.entries(meta.feature_types ?? {})) {
    for (const i of idx) if (i >= 0 && i < nFeatures) out[i]!.type = type;
  }
  return out;
}
