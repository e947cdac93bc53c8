/**
 * What the S3 panels call: config defaults, the connection test, listing, previews, downloads, the
 * doctor and the experiment reader. Panels import only from here (and this file reaches the S3 core via
 * ./core-bridge), so a change of the core's signatures is absorbed in these two files.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { WorkbenchError } from '../../core/errors';
import * as browse from '../../s3/browse';
import { getObjectJson } from '../../s3/npy-remote';
import { runBucketDoctor, REQUIRED_COMPONENTS } from '../../s3/doctor';
import type { ConnectionSnapshot } from './connection/store';
import { normalisePrefix, type ConnectionSettings } from './connection/settings';
import { loadDeploymentConfig, type DeploymentConfig } from '../../s3/config';
import { forgetSessions, sessionFor, type S3Session } from './connection/session';
import { s3Error } from '../../s3/errors';
import { keyFor } from '../../s3/client';

/** What config.json contributes to the connection panel. */
export interface ConfigDefaults {
  settings?: Partial<ConnectionSettings>;
  /** Shown under the panel title. */
  note?: string;
  /** config.json exists but is unusable: shown as written. */
  error?: string;
}

export type ConnectionTestResult = { ok: boolean; message: string };

/** A sentence to show for any failure (WorkbenchErrors are shown as written). */
export function describeError(e: unknown): string {
  if (e instanceof WorkbenchError) return e.message;
  if (e && typeof e === 'object' && typeof (e as Error).message === 'string') {
    const { name, message } = e as Error;
    return name && !['Error', 'WorkbenchError'].includes(name) ? `${name}: ${message}` : message;
  }
  return String(e);
}

/** Reads config.json beside index.html (the S3 core validates it); absent is fine, unusable is reported. */
export async function loadConfigDefaults(): Promise<ConfigDefaults> {
  let config: DeploymentConfig | null;
  try {
    config = await loadDeploymentConfig(document.baseURI);
  } catch (e) {
    return { error: `${describeError(e)} The settings below are not from it.` };
  }
  if (!config) return { note: 'No config.json beside this page: enter the connection settings below.' };
  // A config with its own endpoints is the embedded server of `npm start` (or another local S3).
  const local = Boolean(config.endpoint && config.cognitoEndpoint);
  const settings: Partial<ConnectionSettings> = {
    kind: local ? 'local' : config.identityPoolId ? 'aws' : 'keys',
    region: config.region,
    bucket: config.bucket,
    prefix: normalisePrefix(config.prefix ?? ''),
    identityPoolId: config.identityPoolId ?? '',
    endpoint: config.endpoint ?? '',
    cognitoEndpoint: config.cognitoEndpoint ?? '',
  };
  return { settings, note: local ? 'Defaults from config.json: the local server started by npm start.' : 'Defaults from config.json.' };
}

/** Tries the connection (credentials, then listing the prefix) and says what worked or what to fix. */
export async function testConnection(snap: ConnectionSnapshot): Promise<ConnectionTestResult> {
  const session = sessionFor(snap);
  try {
    await session.client.send(new ListObjectsV2Command({ Bucket: session.bucket, Prefix: session.prefix || undefined, MaxKeys: 1 }));
    return { ok: true, message: `Connected: bucket ${session.bucket}${session.prefix ? `, prefix ${session.prefix}` : ''} can be listed.` };
  } catch (e) {
    // A failed Cognito exchange is cached inside the provider: the next test must start afresh.
    forgetSessions();
    return { ok: false, message: describeError(translate(e, session, session.prefix, 'list')) };
  }
}

/** One page of one level of the prefix tree. */
export interface ListedObject {
  key: string;
  size: number;
  lastModified?: Date;
}

export interface ListPage {
  folders: string[];
  objects: ListedObject[];
  nextToken?: string;
}

/** Lists one level under `prefix` (which ends with `/` or is ''), up to 1,000 entries per page. */
export async function listLevel(snap: ConnectionSnapshot, prefix: string, continuationToken?: string): Promise<ListPage> {
  const session = sessionFor(snap);
  const level = await browse.listLevel(session.client, session.bucket, prefix, { continuationToken });
  return {
    folders: level.folders,
    objects: level.objects.map((o) => ({ key: o.key, size: o.size, lastModified: o.lastModified })),
    nextToken: level.nextToken,
  };
}

/** A preview: pretty JSON (or other text), the facts of a `.npy` header, or just the size of anything else. */
export type ObjectPreview =
  | { kind: 'json'; text: string; truncated: boolean }
  | { kind: 'npy'; descr: string; shape: number[]; fortranOrder: boolean; version: string; size: number }
  | { kind: 'binary'; size: number };

/** Previews an object: `.npy` headers by ranged reads only, JSON pretty-printed, text as is. */
export async function previewObject(snap: ConnectionSnapshot, obj: { key: string; size: number }): Promise<ObjectPreview> {
  const session = sessionFor(snap);
  const p = await browse.previewObject(session.client, session.bucket, obj);
  switch (p.kind) {
    case 'npy':
      return { kind: 'npy', descr: p.info.dtype, shape: p.info.shape, fortranOrder: p.info.fortranOrder, version: p.info.version, size: obj.size };
    case 'json':
      return { kind: 'json', text: JSON.stringify(p.value, null, 2), truncated: false };
    case 'text':
      return { kind: 'json', text: p.text, truncated: p.truncated };
    case 'binary':
      return { kind: 'binary', size: p.size };
  }
}

/** The whole object as a Blob (for the browser's download). */
export async function downloadObject(snap: ConnectionSnapshot, key: string): Promise<Blob> {
  const session = sessionFor(snap);
  return browse.downloadObject(session.client, session.bucket, key);
}

/** A JSON object parsed (configs, histories). */
export async function readJsonObject(snap: ConnectionSnapshot, key: string): Promise<unknown> {
  const session = sessionFor(snap);
  return getObjectJson(session.client, session.bucket, key);
}

// ---------------------------------------------------------------------------------------------------
// Experiments

export interface ExperimentListing {
  name: string;
  configs: { timestamp: string; key: string; size: number; lastModified?: Date }[];
  models: { timestamp: string; count: number; totalBytes: number; lastModified?: Date }[];
  results: { timestamp: string; historyKeys: { member: number; key: string }[] }[];
}

/** One ensemble member's history: metric name → value per epoch. */
export interface MemberHistory {
  member: number;
  metrics: Record<string, number[]>;
}

export interface MetricSummary {
  metric: string;
  goal: 'min' | 'max';
  members: { member: number; bestEpoch?: number; bestValue?: number }[];
  /** Mean and sample standard deviation of the members' best values. */
  mean: number;
  sd: number;
}

/** Names under `PREFIX/experiments/`. */
export async function listExperiments(snap: ConnectionSnapshot): Promise<string[]> {
  const session = sessionFor(snap);
  const base = keyFor(session.connection, 'experiments/');
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await listLevel(snap, base, token);
    names.push(...page.folders.map((f) => f.slice(base.length).replace(/\/$/, '')));
    token = page.nextToken;
  } while (token);
  return names.sort();
}

/** Everything under `experiments/{name}/`, grouped as configs, models and results by timestamp. */
export async function loadExperiment(snap: ConnectionSnapshot, name: string): Promise<ExperimentListing> {
  const session = sessionFor(snap);
  const base = keyFor(session.connection, `experiments/${name}/`);
  const objects = await browse.listAllObjects(session.client, session.bucket, base);
  const listing: ExperimentListing = { name, configs: [], models: [], results: [] };
  const models = new Map<string, ExperimentListing['models'][number]>();
  const results = new Map<string, ExperimentListing['results'][number]>();
  for (const o of objects) {
    const rel = o.key.slice(base.length);
    let m: RegExpMatchArray | null;
    if ((m = rel.match(/^config_(.+)\.json$/))) {
      listing.configs.push({ timestamp: m[1]!, key: o.key, size: o.size, lastModified: o.lastModified });
    } else if ((m = rel.match(/^models\/([^/]+)\/.+/))) {
      const entry = models.get(m[1]!) ?? { timestamp: m[1]!, count: 0, totalBytes: 0 };
      entry.count++;
      entry.totalBytes += o.size;
      if (o.lastModified && (!entry.lastModified || o.lastModified > entry.lastModified)) entry.lastModified = o.lastModified;
      models.set(m[1]!, entry);
    } else if ((m = rel.match(/^results\/([^/]+)\/history_(\d+)\.json$/))) {
      const entry = results.get(m[1]!) ?? { timestamp: m[1]!, historyKeys: [] };
      entry.historyKeys.push({ member: Number(m[2]), key: o.key });
      results.set(m[1]!, entry);
    }
  }
  listing.configs.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  listing.models = [...models.values()].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  listing.results = [...results.values()].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  for (const r of listing.results) r.historyKeys.sort((a, b) => a.member - b.member);
  return listing;
}

/** Reads and parses every history of one results timestamp. */
export async function loadHistories(snap: ConnectionSnapshot, keys: { member: number; key: string }[]): Promise<MemberHistory[]> {
  return Promise.all(keys.map(async ({ member, key }) => ({ member, metrics: parseHistory(await readJsonObject(snap, key), key) })));
}

/** A history as metric → per-epoch values; accepts a dict of lists or a list of per-epoch dicts. */
export function parseHistory(json: unknown, key: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const num = (v: unknown) => (typeof v === 'number' ? v : v === null ? NaN : Number.NaN);
  if (Array.isArray(json)) {
    json.forEach((epoch, i) => {
      if (!epoch || typeof epoch !== 'object' || Array.isArray(epoch)) throw new WorkbenchError('BAD_METADATA', `${key}: epoch ${i} is not an object of metric values.`, key);
      for (const [metric, v] of Object.entries(epoch)) {
        if (metric === 'epoch') continue;
        (out[metric] ??= [])[i] = num(v);
      }
    });
  } else if (json && typeof json === 'object') {
    for (const [metric, values] of Object.entries(json)) {
      if (metric === 'epoch') continue;
      if (!Array.isArray(values)) continue;
      out[metric] = values.map(num);
    }
  } else {
    throw new WorkbenchError('BAD_METADATA', `${key}: a history must be an object of per-epoch lists or a list of per-epoch objects.`, key);
  }
  return out;
}

/** Metrics where lower is better (losses and errors); the rest are maximised (accuracy, AUC, F1…). */
export function metricGoal(metric: string): 'min' | 'max' {
  return /loss|error|mae|mse|rmse|brier/i.test(metric) ? 'min' : 'max';
}

/** Best epoch (1-based) and value per member for every metric, with mean ± sample sd across members. */
export function summariseHistories(histories: MemberHistory[]): MetricSummary[] {
  const metrics = [...new Set(histories.flatMap((h) => Object.keys(h.metrics)))].sort();
  return metrics.map((metric) => {
    const goal = metricGoal(metric);
    const members = histories.map((h) => {
      const values = h.metrics[metric] ?? [];
      let bestEpoch: number | undefined;
      let bestValue: number | undefined;
      values.forEach((v, i) => {
        if (!Number.isFinite(v)) return;
        if (bestValue === undefined || (goal === 'min' ? v < bestValue : v > bestValue)) {
          bestValue = v;
          bestEpoch = i + 1;
        }
      });
      return { member: h.member, bestEpoch, bestValue };
    });
    const bests = members.map((m) => m.bestValue).filter((v): v is number => v !== undefined);
    const mean = bests.length ? bests.reduce((a, b) => a + b, 0) / bests.length : NaN;
    const sd = bests.length > 1 ? Math.sqrt(bests.reduce((a, b) => a + (b - mean) ** 2, 0) / (bests.length - 1)) : 0;
    return { metric, goal, members, mean, sd };
  });
}

/** SDK errors as one sentence naming the bucket/key and the fix (the core's mapping). */
function translate(e: unknown, session: S3Session, key: string, action = 'read'): Error {
  return s3Error(e, { bucket: session.bucket, key: key || undefined, action, browser: true });
}

// ---------------------------------------------------------------------------------------------------
// Bucket doctor

/** The doctor's answer as the panel shows it. */
export interface DoctorView {
  /** The seven `data/` components, in the framework's order. */
  checklist: { name: string; ok: boolean; detail?: string }[];
  /** Header, shape, row-count, metadata and set-up checks. */
  deep: { name: string; ok: boolean; detail?: string }[];
  ready: boolean;
  problems: { problem: string; fix?: string }[];
}

/** Runs the bucket doctor (the S3 core's checks) and splits its report for the panel. */
export async function runDoctor(snap: ConnectionSnapshot): Promise<DoctorView> {
  const session = sessionFor(snap);
  const verdict = await runBucketDoctor(session.client, session.bucket, { prefix: session.prefix, browser: true });
  const required = new Set<string>(REQUIRED_COMPONENTS.map((rel) => `exists:${rel}`));
  // The core's sentences may start with their own ✓/✗; the panel draws its own marks.
  const text = (message: string) => message.replace(/^[✓✗]\s*/u, '');
  const checklist = REQUIRED_COMPONENTS.map((rel) => {
    const check = verdict.checks.find((c) => c.id === `exists:${rel}`);
    // "is missing" is what ✗ already says; anything else (access denied…) is worth showing inline.
    const detail = check && !check.ok && !/is missing/.test(check.message) ? text(check.message) : undefined;
    return { name: rel, ok: check?.ok ?? false, ...(detail ? { detail } : {}) };
  });
  return {
    checklist,
    deep: verdict.checks.filter((c) => !required.has(c.id)).map((c) => ({ name: text(c.message), ok: c.ok })),
    ready: verdict.ready,
    problems: verdict.checks.filter((c) => !c.ok).map((c) => ({ problem: text(c.message), ...(c.fix ? { fix: c.fix } : {}) })),
  };
}
