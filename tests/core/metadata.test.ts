/** features_metadata.json: the seed's example parses; wrong types and bad JSON name the file and key; checks against arrays. */
import { describe, expect, it } from 'vitest';
import { checkMetadataAgainst, featureAnnotations, parseFeaturesMetadata } from '../../src/core/metadata';

// The example of S3_DATA_REQUIREMENTS.md §3 (the "..." in its name list dropped).
const SEED = `{
  "n_features": 7,
  "feature_names": ["magnetic_intensity", "gravity_anomaly", "cu_concentration", "au_concentration", "elevation", "slope", "distance_to_fault"],
  "feature_types": {"geophysical": [0, 1], "geochemical": [2, 3], "topographic": [4, 5], "proximity": [6]},
  "units": {"magnetic_intensity": "nT", "gravity_anomaly": "mGal", "cu_concentration": "ppm", "au_concentration": "ppb",
            "elevation": "m", "slope": "degrees", "distance_to_fault": "km"},
  "normalization": {"method": "robust", "description": "Features normalized using RobustScaler"},
  "spatial_info": {"coordinate_system": "EPSG:4326", "spatial_resolution": "1km"},
  "data_source": "Survey data from XYZ project",
  "date_collected": "2023-01-01",
  "preprocessing": ["Outlier clipping at 1st and 99th percentiles", "Missing value imputation using median", "RobustScaler normalization"],
  "n_train_samples": 700
}`;

describe('features_metadata.json', () => {
  it('parses the seed example, keeps extra keys and agrees with 7 columns', () => {
    const m = parseFeaturesMetadata(SEED, 'features_metadata.json');
    expect(m.n_train_samples).toBe(700);
    expect(checkMetadataAgainst(m, 7)).toEqual([]);
    const ann = featureAnnotations(m, 7);
    expect(ann[2]).toEqual({ name: 'cu_concentration', unit: 'ppm', type: 'geochemical' });
  });

  it('accepts preprocessing as one sentence (the seed preparation script writes that)', () => {
    expect(parseFeaturesMetadata('{"n_features": 3, "preprocessing": "RobustScaler with outlier clipping"}', 'm.json').preprocessing).toBe(
      'RobustScaler with outlier clipping',
    );
  });

  it.each([
    ['{"n_features": 3,}', /m\.json: not valid JSON/],
    ['[1, 2]', /m\.json: "\(top level\)" must be a JSON object/],
    ['{"n_features": "3"}', /m\.json: "n_features" must be a non-negative integer/],
    ['{"feature_names": ["a", 2]}', /"feature_names" must be a list of strings/],
    ['{"feature_types": {"geo": [0, "1"]}}', /"feature_types.geo" must be a list of integer column indices/],
    ['{"units": {"a": 5}}', /"units.a" must be a string/],
  ])('refuses %s with one sentence naming the file', (text, message) => {
    expect(() => parseFeaturesMetadata(text, 'm.json')).toThrow(message);
    try {
      parseFeaturesMetadata(text, 'm.json');
    } catch (e) {
      expect(e).toMatchObject({ code: 'BAD_METADATA', file: 'm.json' });
    }
  });

  it('lists every mismatch with the arrays', () => {
    const m = parseFeaturesMetadata(SEED, 'features_metadata.json');
    const problems = checkMetadataAgainst(m, 5).map((p) => p.code);
    expect(problems).toEqual(['METADATA_N_FEATURES', 'METADATA_NAMES_COUNT', 'METADATA_TYPE_INDEX', 'METADATA_TYPE_INDEX']);
    const dup = checkMetadataAgainst({ feature_names: ['a', 'a'], units: { b: 'm' } }, 2).map((p) => p.code);
    expect(dup).toEqual(['METADATA_DUPLICATE_NAME', 'METADATA_UNIT_NAME']);
  });
});
