import { describe, expect, it } from 'vitest';
import { alignedData } from './metric-chart';

describe('alignedData (uPlot series of ensemble members)', () => {
  it('numbers epochs from 1, pads shorter members with gaps and maps non-finite values to gaps', () => {
    expect(alignedData([{ label: 'a', values: [1, NaN, 3] }, { label: 'b', values: [4] }])).toEqual([[1, 2, 3], [1, null, 3], [4, null, null]]);
  });

  it('gives no epochs for no members or empty histories', () => {
    expect(alignedData([])).toEqual([[]]);
    expect(alignedData([{ label: 'a', values: [] }])).toEqual([[], []]);
  });
});
