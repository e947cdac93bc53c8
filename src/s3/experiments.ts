/**
 * The experiment browser's data side, for the layout of S3_DATA_REQUIREMENTS.md:
 *   experiments/{name}/config_{ts}.json, models/{ts}/model_N.pt, results/{ts}/history_N.json
 * Histories come in two shapes — a dict of per-epoch lists ({"loss": [..], "val_loss": [..]}) or a list
 * of per-epoch dicts ([{"epoch": 0, "loss": ..}, ..]) — and are normalized to
 * { metrics: { name: number[][] } } (one array of per-epoch values per ensemble member).
 *
 * Summary rule: for each metric and member the best epoch is the minimum for loss-like names (loss,
 * error, mae, mse, rmse, brier, ece — see LOSS_LIKE) and the maximum otherwise (accuracy, auc, f1, …);
 * mean ± sd of the members' best values uses the sample standard deviation (n − 1; 0 for one member).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { WorkbenchError } from '../core/errors';
import { listAllObjects, listLevelAll, type ObjectEntry } from './browse';
import { getObjectBytes } from './npy-remote';

export interface ConfigEntry {
  key: string;
  timestamp: string;
  size: number;
  lastModified?: Date;
}

export interface ModelRun {
  timestamp: string;
  count: number;
  totalBytes: number;
  files: ObjectEntry[];
}

export interface ResultRun {
  timestamp: string;
  /** history_N.json objects, by member index N. */
  histories: { member: number; key: string; size: number }[];
}

export interface ExperimentListing {
  name: string;
  configs: ConfigEntry[];
  models: ModelRun[];
  results: ResultRun[];
}

/** Normalized training histories of an ensemble: metric → member → per-epoch values. */
export interface NormalizedHistories {
  members: number;
  metrics: Record<string, number[][]>;
}

export interface MemberBest {
  member: number;
  /** 0-based epoch index of the best value (-1 when the member has no finite value). */
  bestEpoch: number;
  best: number;
}

export interface MetricSummary {
  metric: string;
  goal: 'min' | 'max';
  members: MemberBest[];
  mean: number;
  sd: number;
}

/** Names treated as "lower is better". */
export const LOSS_LIKE = /(loss|error|err\b|mae|mse|rmse|brier|ece|nll|perplexity)/i;

/** Compares timestamps numerically when both are numbers, else as text (ISO / yyyymmdd_hhmmss sort right). */
export function compareTimestamps(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Experiment names under PREFIX/experiments/. */
export async function listExperiments(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]> {
  const root = `${prefix}experiments/`;
  const level = await listLevelAll(client, bucket, root, signal);
  return level.folders.map((f) => f.slice(root.length).replace(/\/$/, '')).sort();
}

/** Groups the keys of one experiment (given relative to `experiments/{name}/`). */
export function groupExperimentObjects(name: string, base: string, objects: ObjectEntry[]): ExperimentListing {
  const configs: ConfigEntry[] = [];
  const models = new Map<string, ModelRun>();
  const results = new Map<string, ResultRun>();
  for (const o of objects) {
    const rel = o.key.slice(base.length);
    let m: RegExpMatchArray | null;
    if ((m = rel.match(/^config_(.+)\.json$/))) {
      configs.push({ key: o.key, timestamp: m[1]!, size: o.size, lastModified: o.lastModified });
    } else if ((m = rel.match(/^models\/([^/]+)\/[^/]+$/))) {
      const run = models.get(m[1]!) ?? { timestamp: m[1]!, count: 0, totalBytes: 0, files: [] };
      if (/^model_\d+\.pt$/.test(o.name)) run.count++;
      run.totalBytes += o.size;
      run.files.push(o);
      models.set(m[1]!, run);
    } else if ((m = rel.match(/^results\/([^/]+)\/history_(\d+)\.json$/))) {
      const run = results.get(m[1]!) ?? { timestamp: m[1]!, histories: [] };
      run.histories.push({ member: Number(m[2]), key: o.key, size: o.size });
      results.set(m[1]!, run);
    }
  }
  const byTs = <T extends { timestamp: string }>(a: T, b: T) => compareTimestamps(a.timestamp, b.timestamp);
  for (const r of results.values()) r.histories.sort((a, b) => a.member - b.member);
  for (const r of models.values()) r.files.sort((a, b) => a.key.localeCompare(b.key, undefined, { numeric: true }));
  return {
    name,
    configs: configs.sort(byTs),
    models: [...models.values()].sort(byTs),
    results: [...results.values()].sort(byTs),
  };
}

/** Lists everything of one experiment: configs by timestamp, model runs (count, sizes), result runs. */
export async function loadExperiment(client: S3Client, bucket: string, prefix: string, name: string, signal?: AbortSignal): Promise<ExperimentListing> {
  const base = `${prefix}experiments/${name}/`;
  return groupExperimentObjects(name, base, await listAllObjects(client, bucket, base, signal));
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN; // null (a skipped epoch) and anything else
  const t = v.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  return t === '' ? NaN : Number(t);
}

/**
 * Parses JSON as Python's json.dump writes it: bare NaN / Infinity / -Infinity (not JSON) become the
 * strings "NaN" / "Infinity" / "-Infinity", which parseHistory reads back as numbers.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m.startsWith('"') ? m : `"${m}"`)));
  }
}

/** Per-epoch values per metric of one history (either shape); `source` names it in errors. */
export function parseHistory(raw: unknown, source = 'history'): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  if (Array.isArray(raw)) {
    raw.forEach((row, epoch) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new WorkbenchError('BAD_METADATA', `${source}: epoch ${epoch} is not an object of metric values.`, source);
      }
      for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
        if (k === 'epoch') continue;
        (out[k] ??= new Array<number>(epoch).fill(NaN)).push(toNumber(v));
      }
      for (const vals of Object.values(out)) while (vals.length < epoch + 1) vals.push(NaN);
    });
    return out;
  }
  if (typeof raw === 'object' && raw !== null) {
    // Keras-style exports sometimes nest the lists under "history".
    const obj = (raw as Record<string, unknown>).history && typeof (raw as Record<string, unknown>).history === 'object' && !Array.isArray((raw as Record<string, unknown>).history)
      ? ((raw as Record<string, unknown>).history as Record<string, unknown>)
      : (raw as Record<string, unknown>);
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'epoch' || k === 'epochs') continue;
      if (Array.isArray(v)) out[k] = v.map(toNumber);
      // Scalars (e.g. "best_epoch": 12, "member": 0) are run facts, not curves: ignored.
    }
    if (Object.keys(out).length === 0) throw new WorkbenchError('BAD_METADATA', `${source}: no per-epoch metric lists found.`, source);
    return out;
  }
  throw new WorkbenchError('BAD_METADATA', `${source}: a history must be a dict of per-epoch lists or a list of per-epoch dicts.`, source);
}

/** Normalizes the histories of all ensemble members (index = member). */
export function normalizeHistories(raws: unknown[], sources: string[] = []): NormalizedHistories {
  const parsed = raws.map((r, i) => parseHistory(r, sources[i] ?? `history_${i}.json`));
  const names = [...new Set(parsed.flatMap((p) => Object.keys(p)))].sort();
  const metrics: Record<string, number[][]> = {};
  for (const n of names) metrics[n] = parsed.map((p) => p[n] ?? []);
  return { members: raws.length, metrics };
}

/** Downloads and normalizes every history_N.json of one result run. */
export async function loadResultHistories(client: S3Client, bucket: string, run: ResultRun, signal?: AbortSignal): Promise<NormalizedHistories> {
  const raws = await Promise.all(
    run.histories.map(async (h) => {
      const text = new TextDecoder().decode(await getObjectBytes(client, bucket, h.key, signal));
      try {
        return parsePythonJson(text);
      } catch (e) {
        throw new WorkbenchError('BAD_METADATA', `s3://${bucket}/${h.key} is not valid JSON (${(e as Error).message}).`, h.key);
      }
    }),
  );
  return normalizeHistories(raws, run.histories.map((h) => h.key));
}

/** Best epoch and value per member, and mean ± sd of the best values, for every metric. */
export function summarizeHistories(h: NormalizedHistories): MetricSummary[] {
  return Object.entries(h.metrics).map(([metric, perMember]) => {
    const goal: 'min' | 'max' = LOSS_LIKE.test(metric) ? 'min' : 'max';
    const members = perMember.map((values, member): MemberBest => {
      let bestEpoch = -1;
      let best = NaN;
      values.forEach((v, epoch) => {
        if (!Number.isFinite(v)) return;
        if (bestEpoch < 0 || (goal === 'min' ? v < best : v > best)) {
          best = v;
          bestEpoch = epoch;
        }
      });
      return { member, bestEpoch, best };
    });
    const bests = members.filter((m) => m.bestEpoch >= 0).map((m) => m.best);
    const mean = bests.length ? bests.reduce((a, b) => a + b, 0) / bests.length : NaN;
    const sd = bests.length > 1 ? Math.sqrt(bests.reduce((a, b) => a + (b - mean) ** 2, 0) / (bests.length - 1)) : bests.length === 1 ? 0 : NaN;
    return { metric, goal, members, mean, sd };
  });
}

export interface ConfigDifference {
  /** Flat key path, e.g. `model.layers[2].units`. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function flatten(v: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, []);
    v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) out.set(path, {});
    for (const [k, x] of entries) flatten(x, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, v);
  }
}

/** Flat key paths of a JSON value (leaves only), e.g. { "a.b": 1, "c[0]": "x" }. */
export function flattenJson(v: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  flatten(v, '', out);
  return out;
}

/** Differences between two JSON configs by flat key path, sorted by path. */
export function diffConfigs(before: unknown, after: unknown): ConfigDifference[] {
  const a = flattenJson(before);
  const b = flattenJson(after);
  const diffs: ConfigDifference[] = [];
  for (const path of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const inA = a.has(path);
    const inB = b.has(path);
    if (inA && !inB) diffs.push({ path, kind: 'removed', before: a.get(path) });
    else if (!inA && inB) diffs.push({ path, kind: 'added', after: b.get(path) });
    else if (JSON.stringify(a.get(path)) !== JSON.stringify(b.get(path))) diffs.push({ path, kind: 'changed', before: a.get(path), after: b.get(path) });
  }
  return diffs;
}
