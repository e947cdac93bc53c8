import { describe, expect, it } from 'vitest';
import { errorMessage, formatBytes, formatCount, formatPercent, formatShape, formatStat } from './format';
import { correlationColour, histogramPath } from './chart-math';
import { compareValues } from '../report/sort';
import { roleFromName, fileKind } from '../shell/store';
import { WorkbenchError } from '../../core/errors';

describe('display helpers', () => {
  it('formats sizes, counts, stats, percentages and shapes', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(200 * 1024 * 1024)).toBe('200 MiB');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(undefined)).toBe('–');
    expect(formatStat(null)).toBe('–');
    expect(formatStat(0.123456789)).toBe('0.123457');
    expect(formatStat(-9999)).toBe('-9999');
    expect(formatStat(3.4e38)).toBe('3.400e+38');
    expect(formatStat(Number.NEGATIVE_INFINITY)).toBe('-inf');
    expect(formatPercent(0.0236)).toBe('2.36 %');
    expect(formatPercent(0.00001)).toBe('<0.01 %');
    expect(formatShape([7])).toBe('(7,)');
    expect(formatShape([1000, 50])).toBe('(1000, 50)');
  });

  it('shows a WorkbenchError as written and names the file for other errors', () => {
    expect(errorMessage(new WorkbenchError('NPY_BAD_MAGIC', 'evil.npy: not a .npy file.', 'evil.npy'), 'evil.npy')).toBe('evil.npy: not a .npy file.');
    expect(errorMessage(new TypeError('Failed to fetch'), 'x.npy')).toBe('x.npy: Failed to fetch');
  });

  it('draws one bar per non-empty bin, scaled to the fullest', () => {
    const d = histogramPath([0, 2, 4], 30, 10);
    expect(d.match(/M/g)?.length).toBe(2);
    expect(d).toContain('v-10.00'); // the fullest bin is full height
    expect(d).toContain('v-5.00');
    expect(histogramPath([0, 0], 30, 10)).toBe('');
  });

  it('colours r: red positive, blue negative, grey undefined', () => {
    expect(correlationColour(1)).toBe('rgb(255,0,0)');
    expect(correlationColour(-1)).toBe('rgb(0,0,255)');
    expect(correlationColour(0)).toBe('rgb(255,255,255)');
    expect(correlationColour(null)).toBe('#d0d4da');
  });

  it('sorts with missing values last in both directions', () => {
    const vals = [3, null, 1, 2];
    expect([...vals].sort((a, b) => compareValues(a, b, 1))).toEqual([1, 2, 3, null]);
    expect([...vals].sort((a, b) => compareValues(a, b, -1))).toEqual([3, 2, 1, null]);
    expect(['f10', 'f2'].sort((a, b) => compareValues(a, b, 1))).toEqual(['f2', 'f10']);
  });

  it('recognises features and labels by name', () => {
    expect(roleFromName('features.npy')).toBe('features');
    expect(roleFromName('features_2023.npy')).toBe('features');
    expect(roleFromName('X_train.npy')).toBe('features');
    expect(roleFromName('labels.npy')).toBe('labels');
    expect(roleFromName('y.npy')).toBe('labels');
    expect(roleFromName('target.npy')).toBe('labels');
    expect(roleFromName('archive.npz:y_train.npy')).toBe('labels');
    expect(roleFromName('yield.npy')).toBe('unused');
    expect(roleFromName('xenon.npy')).toBe('unused');
    expect(roleFromName('Xtrain.npy')).toBe('features');
    expect(roleFromName('x.npy')).toBe('features');
    expect(roleFromName('yTrain.npy')).toBe('labels');
    expect(roleFromName('targets_2023.npy')).toBe('labels');
    expect(roleFromName('features_metadata.json')).toBe('metadata');
    expect(fileKind('A.NPZ')).toBe('npz');
  });
});
