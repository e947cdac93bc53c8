/**
 * The Prepare form's values (as typed, strings) and their conversion to PrepareSettings. Each field is
 * checked by H3's `validatePrepareSettings` on the defaults with only that field changed, so the inline
 * message under a field is exactly the engine's sentence for it.
 */
import {
  DEFAULT_PREPARE_SETTINGS,
  validatePrepareSettings,
  type ImputeSetting,
  type PrepareSettings,
  type ScalerKind,
} from '../../core/prepare-types';

export interface SettingsForm {
  testSize: string;
  valSize: string;
  seed: string;
  stratify: boolean;
  clipOn: boolean;
  clipLo: string;
  clipHi: string;
  impute: ImputeSetting['kind'];
  imputeValue: string;
  scaler: ScalerKind;
  smoteOn: boolean;
  smoteK: string;
  /** `auto` or a minority/majority ratio. */
  smoteRatio: string;
  /** Empty: the split seed. */
  smoteSeed: string;
}

export type SettingsField = keyof SettingsForm;

/** The form showing the seed recipe (DEFAULT_PREPARE_SETTINGS). */
export function defaultSettingsForm(d: PrepareSettings = DEFAULT_PREPARE_SETTINGS): SettingsForm {
  return {
    testSize: String(d.testSize),
    valSize: String(d.valSize),
    seed: String(d.seed),
    stratify: d.stratify,
    clipOn: d.clip !== null,
    clipLo: String(d.clip?.lo ?? 1),
    clipHi: String(d.clip?.hi ?? 99),
    impute: d.impute.kind,
    imputeValue: d.impute.kind === 'constant' ? String(d.impute.value) : '0',
    scaler: d.scaler,
    smoteOn: d.smote !== null,
    smoteK: String(d.smote?.k ?? 5),
    smoteRatio: d.smote?.ratio === undefined ? 'auto' : String(d.smote.ratio),
    smoteSeed: d.smote?.seed === undefined ? '' : String(d.smote.seed),
  };
}

/** Parses a typed number; NaN for empty or malformed text (so the validator names the field). */
function num(text: string): number {
  const t = text.trim();
  if (t === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** The part of the settings one field sets, applied onto `base`. */
function applyField(base: PrepareSettings, f: SettingsForm, field: SettingsField): PrepareSettings {
  const s: PrepareSettings = { ...base };
  switch (field) {
    case 'testSize':
      s.testSize = num(f.testSize);
      break;
    case 'valSize':
      s.valSize = num(f.valSize);
      break;
    case 'seed':
      s.seed = num(f.seed);
      break;
    case 'stratify':
      s.stratify = f.stratify;
      break;
    case 'clipOn':
    case 'clipLo':
    case 'clipHi':
      s.clip = f.clipOn ? { lo: num(f.clipLo), hi: num(f.clipHi) } : null;
      break;
    case 'impute':
    case 'imputeValue':
      s.impute = f.impute === 'constant' ? { kind: 'constant', value: num(f.imputeValue) } : { kind: f.impute };
      break;
    case 'scaler':
      s.scaler = f.scaler;
      break;
    case 'smoteOn':
    case 'smoteK':
    case 'smoteRatio':
    case 'smoteSeed':
      if (!f.smoteOn) s.smote = null;
      else {
        const ratioText = f.smoteRatio.trim().toLowerCase();
        s.smote = {
          k: num(f.smoteK),
          ratio: ratioText === 'auto' || ratioText === '' ? 'auto' : num(f.smoteRatio),
          ...(f.smoteSeed.trim() === '' ? {} : { seed: num(f.smoteSeed) }),
        };
      }
      break;
  }
  return s;
}

/** Which form field a validation message belongs to (for the clip/impute/smote groups, the group's number fields). */
const FIELD_GROUPS: SettingsField[][] = [
  ['testSize'],
  ['valSize'],
  ['seed'],
  ['stratify'],
  ['clipOn', 'clipLo', 'clipHi'],
  ['impute', 'imputeValue'],
  ['scaler'],
  ['smoteOn', 'smoteK', 'smoteRatio', 'smoteSeed'],
];

/** Where a group's message is shown. */
const GROUP_MESSAGE_FIELD: Record<string, SettingsField> = {
  clipOn: 'clipLo',
  impute: 'imputeValue',
  smoteOn: 'smoteK',
};

/** The settings the form describes, or per-field messages (the validator's sentences) when it is invalid. */
export function settingsFromForm(f: SettingsForm): { settings?: PrepareSettings; errors: Partial<Record<SettingsField, string>> } {
  const errors: Partial<Record<SettingsField, string>> = {};
  let all: PrepareSettings = { ...DEFAULT_PREPARE_SETTINGS };
  for (const group of FIELD_GROUPS) {
    const candidate = applyField(DEFAULT_PREPARE_SETTINGS, f, group[0]!);
    try {
      validatePrepareSettings(candidate);
      all = applyField(all, f, group[0]!);
    } catch (e) {
      errors[GROUP_MESSAGE_FIELD[group[0]!] ?? group[0]!] = (e as Error).message;
    }
  }
  if (Object.keys(errors).length) return { errors };
  try {
    return { settings: validatePrepareSettings(all), errors };
  } catch (e) {
    return { errors: { testSize: (e as Error).message } };
  }
}
