import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import { cognitoConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';
import {
  diffConfigs,
  listExperiments,
  loadExperiment,
  loadResultHistories,
  normalizeHistories,
  parseHistory,
  parsePythonJson,
  summarizeHistories,
} from '../../src/s3/experiments';
import { getObjectJson } from '../../src/s3/npy-remote';
import { seedBucketFromDirectory } from '../../src/server/seed';
import { startTestServer, type TestServer } from './local-server';

const FIXTURES = fileURLToPath(new URL('../fixtures/experiments/bucket', import.meta.url));

describe('history parsing', () => {
  it('reads a dict of per-epoch lists and a list of per-epoch dicts to the same form', () => {
    const a = parseHistory({ loss: [1, 0.5], val_auc: [0.6, 0.7] });
    const b = parseHistory([
      { epoch: 0, loss: 1, val_auc: 0.6 },
      { epoch: 1, loss: 0.5, val_auc: 0.7 },
    ]);
    expect(a).toEqual({ loss: [1, 0.5], val_auc: [0.6, 0.7] });
    expect(b).toEqual(a);
  });

  it('keeps epochs aligned when a metric starts late or is missing in some epochs', () => {
    expect(parseHistory([{ loss: 1 }, { loss: 0.5, lr: 0.1 }, { lr: 0.05 }])).toEqual({ loss: [1, 0.5, NaN], lr: [NaN, 0.1, 0.05] });
  });

  it('reads json.dump NaN/Infinity and refuses shapes that are not histories', () => {
    expect(parseHistory(parsePythonJson('{"loss": [NaN, 1.5, Infinity, -Infinity], "note": "NaN here"}'))).toEqual({ loss: [NaN, 1.5, Infinity, -Infinity] });
    expect(() => parseHistory(42, 'h.json')).toThrow(/h\.json: a history must be/);
    expect(() => parseHistory({ best_epoch: 3 }, 'h.json')).toThrow(/no per-epoch metric lists/);
  });

  it('summarizes best epoch per member (min for losses, max otherwise) and mean ± sd', () => {
    const h = normalizeHistories([{ loss: [0.9, 0.5, 0.6], auc: [0.5, 0.8, 0.7] }, [{ loss: 0.7, auc: 0.6 }, { loss: 0.3, auc: 0.9 }]]);
    const s = summarizeHistories(h);
    const loss = s.find((m) => m.metric === 'loss')!;
    const auc = s.find((m) => m.metric === 'auc')!;
    expect(loss.goal).toBe('min');
    expect(loss.members).toEqual([{ member: 0, bestEpoch: 1, best: 0.5 }, { member: 1, bestEpoch: 1, best: 0.3 }]);
    expect(loss.mean).toBeCloseTo(0.4, 12);
    expect(loss.sd).toBeCloseTo(Math.sqrt(0.02), 12); // sample sd of 0.5 and 0.3
    expect(auc.goal).toBe('max');
    expect(auc.members.map((m) => m.best)).toEqual([0.8, 0.9]);
  });

  it('diffs two configs by flat key path', () => {
    expect(diffConfigs({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { b: 2, c: [1] }, e: true })).toEqual([
      { path: 'a.b', kind: 'changed', before: 1, after: 2 },
      { path: 'a.c[1]', kind: 'removed', before: 2 },
      { path: 'd', kind: 'removed', before: 'x' },
      { path: 'e', kind: 'added', after: true },
    ]);
    expect(diffConfigs({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('experiment browser data against a real s3rver (committed fixtures)', () => {
  let server: TestServer;
  let client: S3Client;
  beforeAll(async () => {
    server = await startTestServer();
    client = makeS3Client(cognitoConnection(server.config));
    await seedBucketFromDirectory(client, server.bucket, FIXTURES, 'team/');
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('lists experiments, configs by timestamp, model runs and result runs', async () => {
    expect(await listExperiments(client, server.bucket, 'team/')).toEqual(['demo']);
    const exp = await loadExperiment(client, server.bucket, 'team/', 'demo');
    expect(exp.configs.map((c) => c.timestamp)).toEqual(['20240101_120000', '20240102_093000']);
    expect(exp.models.map((m) => [m.timestamp, m.count, m.totalBytes])).toEqual([
      ['20240101_120000', 3, 330],
      ['20240102_093000', 3, 330],
    ]);
    expect(exp.results.map((r) => [r.timestamp, r.histories.map((h) => h.member)])).toEqual([
      ['20240101_120000', [0]],
      ['20240102_093000', [0, 1, 2]],
    ]);
  });

  it('normalizes the three fixture members (both shapes, a NaN epoch) and summarizes them', async () => {
    const exp = await loadExperiment(client, server.bucket, 'team/', 'demo');
    const h = await loadResultHistories(client, server.bucket, exp.results[1]!);
    expect(h.members).toBe(3);
    expect(Object.keys(h.metrics)).toEqual(['loss', 'val_auc', 'val_loss']);
    expect(h.metrics.loss![1]).toEqual([0.8, 0.5, 0.45, 0.4]);
    expect(h.metrics.loss![2]).toEqual([1.0, NaN, 0.7, 0.6]);
    const valLoss = summarizeHistories(h).find((m) => m.metric === 'val_loss')!;
    expect(valLoss.members.map((m) => [m.bestEpoch, m.best])).toEqual([[2, 0.65], [1, 0.6], [3, 0.7]]);
  });

  it('diffs the two fixture configs', async () => {
    const exp = await loadExperiment(client, server.bucket, 'team/', 'demo');
    const [a, b] = await Promise.all(exp.configs.map((c) => getObjectJson(client, server.bucket, c.key)));
    expect(diffConfigs(a, b).map((d) => `${d.kind} ${d.path}`)).toEqual([
      'changed lr',
      'changed model.hidden[1]',
      'added model.hidden[2]',
      'added seed',
    ]);
  });
});
