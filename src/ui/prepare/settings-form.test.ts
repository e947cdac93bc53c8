import { describe, expect, it } from 'vitest';
import { defaultSettingsForm, settingsFromForm } from './settings-form';
import { DEFAULT_PREPARE_SETTINGS } from '../../core/prepare-types';

describe('settingsFromForm', () => {
  it('the default form is the seed recipe', () => {
    const { settings, errors } = settingsFromForm(defaultSettingsForm());
    expect(errors).toEqual({});
    expect(settings).toEqual(DEFAULT_PREPARE_SETTINGS);
  });

  it('puts the validator sentence under the bad field only', () => {
    const f = { ...defaultSettingsForm(), testSize: '1.5', seed: 'abc' };
    const { settings, errors } = settingsFromForm(f);
    expect(settings).toBeUndefined();
    expect(errors.testSize).toMatch(/test size/);
    expect(errors.seed).toMatch(/seed/);
    expect(errors.valSize).toBeUndefined();
  });

  it('converts clip off, constant imputation, scaler and SMOTE settings', () => {
    const f = {
      ...defaultSettingsForm(),
      clipOn: false,
      impute: 'constant' as const,
      imputeValue: '-1.5',
      scaler: 'standard' as const,
      smoteOn: true,
      smoteK: '3',
      smoteRatio: '0.5',
      smoteSeed: '7',
      stratify: false,
    };
    const { settings, errors } = settingsFromForm(f);
    expect(errors).toEqual({});
    expect(settings).toMatchObject({
      clip: null,
      impute: { kind: 'constant', value: -1.5 },
      scaler: 'standard',
      stratify: false,
      smote: { k: 3, ratio: 0.5, seed: 7 },
    });
  });

  it('flags clip bounds in the wrong order and a non-numeric SMOTE k', () => {
    const { errors } = settingsFromForm({ ...defaultSettingsForm(), clipLo: '99', clipHi: '1', smoteOn: true, smoteK: 'x' });
    expect(errors.clipLo).toMatch(/clip/);
    expect(errors.smoteK).toMatch(/SMOTE/);
  });
});
