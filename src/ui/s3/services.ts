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
import type { ConnectionSettings } from './connection/settings';
import { loadDeploymentConfig, type DeploymentConfig } from '../../s3/config';
import { forgetSessions, sessionFor, type S3Session } from './connection/session';
import { s3Error } from '../../s3/errors';
import * as experiments from '../../s3/experiments';

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
    prefix: config.prefix ?? '',
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
// Experiments (the S3 core's reader: src/s3/experiments.ts)

export type { ExperimentListing, NormalizedHistories, MetricSummary, ResultRun, ConfigDifference } from '../../s3/experiments';
export { summarizeHistories, diffConfigs } from '../../s3/experiments';

/** Names under `PREFIX/experiments/`. */
export async function listExperiments(snap: ConnectionSnapshot): Promise<string[]> {
  const session = sessionFor(snap);
  return experiments.listExperiments(session.client, session.bucket, session.prefix);
}

/** Everything under `experiments/{name}/`: configs, models and results by timestamp. */
export async function loadExperiment(snap: ConnectionSnapshot, name: string): Promise<experiments.ExperimentListing> {
  const session = sessionFor(snap);
  return experiments.loadExperiment(session.client, session.bucket, session.prefix, name);
}

/** Every history_N.json of one results timestamp, parsed (either shape) and aligned by member. */
export async function loadHistories(snap: ConnectionSnapshot, run: experiments.ResultRun): Promise<experiments.NormalizedHistories> {
  const session = sessionFor(snap);
  return experiments.loadResultHistories(session.client, session.bucket, run);
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
