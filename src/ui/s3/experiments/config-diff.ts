/**
 * Diff of two experiment configs: both JSON values are flattened to `a.b[2].c` paths and compared leaf by
 * leaf, so a nested change shows as one row with the old and new value.
 */

export interface ConfigDifference {
  path: string;
  change: 'added' | 'removed' | 'changed';
  left?: string;
  right?: string;
}

/** Every leaf of a JSON value as `path → JSON text`; empty objects and arrays are leaves too. */
export function flattenJson(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flattenJson(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flattenJson(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path || '(root)', JSON.stringify(value));
  }
  return out;
}

/** The leaves that differ between `left` and `right`, in path order. */
export function diffConfigs(left: unknown, right: unknown): ConfigDifference[] {
  const a = flattenJson(left);
  const b = flattenJson(right);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: ConfigDifference[] = [];
  for (const path of paths) {
    const l = a.get(path);
    const r = b.get(path);
    if (l === r) continue;
    if (l === undefined) out.push({ path, change: 'added', right: r });
    else if (r === undefined) out.push({ path, change: 'removed', left: l });
    else out.push({ path, change: 'changed', left: l, right: r });
  }
  return out;
}
