import { describe, expect, it } from 'vitest';
import { metricGoal, parseHistory, summariseHistories } from '../services';
import { diffConfigs, flattenJson } from './config-diff';
import { alignedData } from './metric-chart';

describe('parseHistory', () => {
  it('reads a dict of per-epoch lists and a list of per-epoch dicts to the same thing', () => {
    const dict = parseHistory({ loss: [0.9, 0.5, 0.6], val_auc: [0.6, 0.7, 0.8] }, 'h.json');
    const list = parseHistory([{ epoch: 1, loss: 0.9, val_auc: 0.6 }, { epoch: 2, loss: 0.5, val_auc: 0.7 }, { epoch: 3, loss: 0.6, val_auc: 0.8 }], 'h.json');
    expect(dict).toEqual({ loss: [0.9, 0.5, 0.6], val_auc: [0.6, 0.7, 0.8] });
    expect(list).toEqual(dict);
  });

  it('refuses a scalar and an epoch that is not an object, naming the key', () => {
    expect(() => parseHistory(3, 'exp/results/t/history_0.json')).toThrow(/^exp\/results\/t\/history_0\.json: a history must be/);
    expect(() => parseHistory([{ loss: 1 }, 7], 'h.json')).toThrow('h.json: epoch 1 is not an object of metric values.');
  });
});

describe('summariseHistories', () => {
  it('finds the best epoch per member (lowest loss, highest AUC) and mean ± sample sd of the bests', () => {
    const rows = summariseHistories([
      { member: 0, metrics: { loss: [0.9, 0.5, 0.6], val_auc: [0.6, 0.8, 0.7] } },
      { member: 1, metrics: { loss: [0.8, 0.7, 0.3], val_auc: [0.5, 0.6, 0.9] } },
    ]);
    expect(rows.map((r) => [r.metric, r.goal, r.members.map((m) => [m.bestEpoch, m.bestValue])])).toEqual([
      ['loss', 'min', [[2, 0.5], [3, 0.3]]],
      ['val_auc', 'max', [[2, 0.8], [3, 0.9]]],
    ]);
    expect(rows[0]!.mean).toBeCloseTo(0.4, 12);
    expect(rows[0]!.sd).toBeCloseTo(Math.sqrt(0.02), 12); // (0.1² + 0.1²) / (2 − 1)
    expect(rows[1]!.mean).toBeCloseTo(0.85, 12);
  });

  it('ignores NaN epochs and gives a member without values no best', () => {
    const [row] = summariseHistories([
      { member: 0, metrics: { loss: [NaN, 0.4] } },
      { member: 1, metrics: {} },
    ]);
    expect(row!.members).toEqual([{ member: 0, bestEpoch: 2, bestValue: 0.4 }, { member: 1, bestEpoch: undefined, bestValue: undefined }]);
    expect([row!.mean, row!.sd]).toEqual([0.4, 0]);
  });

  it('classifies metric goals by name', () => {
    expect(['loss', 'val_loss', 'mae', 'accuracy', 'val_auc', 'f1'].map(metricGoal)).toEqual(['min', 'min', 'min', 'max', 'max', 'max']);
  });
});

describe('alignedData', () => {
  it('pads shorter members with nulls and maps non-finite values to gaps', () => {
    expect(alignedData([{ label: 'a', values: [1, NaN, 3] }, { label: 'b', values: [4] }])).toEqual([[1, 2, 3], [1, null, 3], [4, null, null]]);
  });
});

describe('diffConfigs', () => {
  it('reports changed, added and removed leaves by path', () => {
    const a = { model: { layers: [64, 32], dropout: 0.1 }, lr: 0.001, seed: 1 };
    const b = { model: { layers: [64, 16], dropout: 0.1 }, lr: 0.001, epochs: 50 };
    expect(diffConfigs(a, b)).toEqual([
      { path: 'epochs', change: 'added', right: '50' },
      { path: 'model.layers[1]', change: 'changed', left: '32', right: '16' },
      { path: 'seed', change: 'removed', left: '1' },
    ]);
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
  });

  it('keeps empty objects and arrays as leaves', () => {
    expect([...flattenJson({ a: {}, b: [] }).entries()]).toEqual([['a', '{}'], ['b', '[]']]);
  });
});
