/**
 * The metadata editor's model: per-feature names, units and types plus the dataset fields of the seed's
 * features_metadata.json schema, converted to and from that JSON. The engine adds n_features,
 * normalization, preprocessing and provenance when it writes data/features_metadata.json.
 */

export interface MetadataDraft {
  names: string[];
  units: string[];
  /** Feature type per column (e.g. `geophysical`); empty = none. */
  types: string[];
  dataSource: string;
  dateCollected: string;
  coordinateSystem: string;
  spatialResolution: string;
  /** Other top-level keys of an imported file, carried over unchanged. */
  extra: Record<string, unknown>;
}

/** Keys the editor owns (everything else in an imported file goes to `extra`). */
const OWNED_KEYS = new Set([
  'n_features',
  'feature_names',
  'feature_types',
  'units',
  'spatial_info',
  'data_source',
  'date_collected',
  // Written by the engine from the run's settings:
  'normalization',
  'preprocessing',
]);

/** Default feature names, as the seed's examples use them. */
export function defaultFeatureName(i: number): string {
  return `feature_${i}`;
}

/** An empty draft for `n` features. */
export function emptyDraft(n: number): MetadataDraft {
  return {
    names: Array.from({ length: n }, (_, i) => defaultFeatureName(i)),
    units: Array.from({ length: n }, () => ''),
    types: Array.from({ length: n }, () => ''),
    dataSource: '',
    dateCollected: '',
    coordinateSystem: '',
    spatialResolution: '',
    extra: {},
  };
}

/** Resizes a draft to `n` features (new columns get default names; extra ones are dropped). */
export function resizeDraft(d: MetadataDraft, n: number): MetadataDraft {
  const fit = (a: string[], fill: (i: number) => string) => Array.from({ length: n }, (_, i) => (i < a.length ? a[i]! : fill(i)));
  return { ...d, names: fit(d.names, defaultFeatureName), units: fit(d.units, () => ''), types: fit(d.types, () => '') };
}

/** A draft from a parsed features_metadata.json (seed schema); `n` is the features array's column count. */
export function draftFromMetadata(json: unknown, n: number): MetadataDraft {
  const d = emptyDraft(n);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return d;
  const o = json as Record<string, unknown>;
  if (Array.isArray(o.feature_names)) {
    o.feature_names.forEach((name, i) => {
      if (i < n && typeof name === 'string') d.names[i] = name;
    });
  }
  if (o.units && typeof o.units === 'object') {
    const units = o.units as Record<string, unknown>;
    d.names.forEach((name, i) => {
      const u = units[name];
      if (typeof u === 'string') d.units[i] = u;
    });
  }
  if (o.feature_types && typeof o.feature_types === 'object') {
    for (const [type, idx] of Object.entries(o.feature_types as Record<string, unknown>)) {
      if (!Array.isArray(idx)) continue;
      for (const i of idx) if (Number.isInteger(i) && i >= 0 && i < n) d.types[i] = type;
    }
  }
  if (typeof o.data_source === 'string') d.dataSource = o.data_source;
  if (typeof o.date_collected === 'string') d.dateCollected = o.date_collected;
  const spatial = o.spatial_info as Record<string, unknown> | undefined;
  if (spatial && typeof spatial === 'object') {
    if (typeof spatial.coordinate_system === 'string') d.coordinateSystem = spatial.coordinate_system;
    if (typeof spatial.spatial_resolution === 'string') d.spatialResolution = spatial.spatial_resolution;
  }
  for (const [k, v] of Object.entries(o)) if (!OWNED_KEYS.has(k)) d.extra[k] = v;
  return d;
}

/** Names pasted one per line (blank lines and surrounding spaces ignored), applied from the first feature on. */
export function applyPastedNames(d: MetadataDraft, text: string): MetadataDraft {
  const pasted = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const names = d.names.map((old, i) => (i < pasted.length ? pasted[i]! : old));
  return { ...d, names };
}

/** Problems that make the draft unusable (shown inline; the engine checks again). */
export function draftProblems(d: MetadataDraft): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  d.names.forEach((name, i) => {
    if (name.trim() === '') problems.push(`Feature ${i} has no name.`);
    else if (seen.has(name)) problems.push(`Features ${seen.get(name)} and ${i} are both named '${name}'.`);
    else seen.set(name, i);
  });
  if (d.dateCollected && !/^\d{4}-\d{2}-\d{2}$/.test(d.dateCollected)) {
    problems.push(`The collection date '${d.dateCollected}' is not a YYYY-MM-DD date.`);
  }
  return problems;
}

/** The seed-schema features_metadata.json the draft describes (before the engine adds provenance). */
export function metadataFromDraft(d: MetadataDraft): Record<string, unknown> {
  const featureTypes: Record<string, number[]> = {};
  d.types.forEach((t, i) => {
    const type = t.trim();
    if (type) (featureTypes[type] ??= []).push(i);
  });
  const units: Record<string, string> = {};
  d.names.forEach((name, i) => {
    const u = d.units[i]?.trim();
    if (u) units[name] = u;
  });
  const spatial: Record<string, string> = {};
  if (d.coordinateSystem.trim()) spatial.coordinate_system = d.coordinateSystem.trim();
  if (d.spatialResolution.trim()) spatial.spatial_resolution = d.spatialResolution.trim();
  return {
    ...d.extra,
    n_features: d.names.length,
    feature_names: [...d.names],
    feature_types: featureTypes,
    units,
    ...(Object.keys(spatial).length ? { spatial_info: spatial } : {}),
    ...(d.dataSource.trim() ? { data_source: d.dataSource.trim() } : {}),
    ...(d.dateCollected.trim() ? { date_collected: d.dateCollected.trim() } : {}),
  };
}
