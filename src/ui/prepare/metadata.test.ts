import { describe, expect, it } from 'vitest';
import { applyPastedNames, draftFromMetadata, draftProblems, emptyDraft, metadataFromDraft, resizeDraft } from './metadata';

const seedExample = {
  n_features: 4,
  feature_names: ['magnetic_intensity', 'gravity_anomaly', 'cu_concentration', 'elevation'],
  feature_types: { geophysical: [0, 1], geochemical: [2], topographic: [3] },
  units: { magnetic_intensity: 'nT', gravity_anomaly: 'mGal', cu_concentration: 'ppm', elevation: 'm' },
  spatial_info: { coordinate_system: 'EPSG:4326', spatial_resolution: '1km' },
  data_source: 'Survey data from XYZ project',
  date_collected: '2023-01-01',
  normalization: { method: 'robust' },
  licence: 'CC-BY',
};

describe('metadata draft', () => {
  it('round-trips the seed schema (the engine writes normalization itself; unknown keys are kept)', () => {
    const d = draftFromMetadata(seedExample, 4);
    expect(d.types).toEqual(['geophysical', 'geophysical', 'geochemical', 'topographic']);
    const { normalization: _, ...rest } = seedExample;
    expect(metadataFromDraft(d)).toEqual(rest);
  });

  it('fits an imported file to the array width and reports problems', () => {
    const d = draftFromMetadata({ feature_names: ['a', 'a'] }, 3);
    expect(d.names).toEqual(['a', 'a', 'feature_2']);
    expect(draftProblems(d)).toEqual(["Features 0 and 1 are both named 'a'."]);
    expect(resizeDraft(d, 1).names).toEqual(['a']);
  });

  it('applies names pasted one per line', () => {
    const d = applyPastedNames(emptyDraft(3), ' x \n\ny\r\n');
    expect(d.names).toEqual(['x', 'y', 'feature_2']);
    expect(draftProblems({ ...d, dateCollected: '1/2/2023' })).toEqual(["The collection date '1/2/2023' is not a YYYY-MM-DD date."]);
  });
});
