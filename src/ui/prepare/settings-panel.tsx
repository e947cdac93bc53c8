/** The Prepare settings form (defaults = the seed recipe), with the validator's sentence under a bad field. */
import { Show, type JSX } from 'solid-js';
import { settingsForm as form, setSettingsForm as setForm, resetSettingsForm } from './store';
import { settingsFromForm, type SettingsField } from './settings-form';

function FieldError(props: { field: SettingsField; errors: Partial<Record<SettingsField, string>> }): JSX.Element {
  return (
    <Show when={props.errors[props.field]}>
      <span class="field-error" id={`err-${props.field}`} role="alert">
        {props.errors[props.field]}
      </span>
    </Show>
  );
}

/** A text input bound to one form field. */
function NumberField(props: {
  field: 'testSize' | 'valSize' | 'seed' | 'clipLo' | 'clipHi' | 'imputeValue' | 'smoteK' | 'smoteRatio' | 'smoteSeed';
  label: string;
  hint?: string;
  errors: Partial<Record<SettingsField, string>>;
  disabled?: boolean;
  placeholder?: string;
}): JSX.Element {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      <input
        type="text"
        inputMode="decimal"
        name={props.field}
        data-testid={`setting-${props.field}`}
        value={form[props.field]}
        disabled={props.disabled}
        placeholder={props.placeholder}
        aria-invalid={props.errors[props.field] ? 'true' : 'false'}
        aria-describedby={props.errors[props.field] ? `err-${props.field}` : undefined}
        onInput={(e) => setForm(props.field, e.currentTarget.value)}
      />
      <Show when={props.hint}>
        <span class="field-hint muted">{props.hint}</span>
      </Show>
      <FieldError field={props.field} errors={props.errors} />
    </label>
  );
}

/** The settings panel; `errors` are recomputed from the form on every keystroke. */
export function SettingsPanel(): JSX.Element {
  const errors = () => settingsFromForm(form).errors;
  return (
    <fieldset class="panel settings" aria-label="Prepare settings">
      <legend>Settings</legend>
      <div class="settings-group" role="group" aria-labelledby="grp-split">
        <h4 id="grp-split">Split</h4>
        <NumberField field="testSize" label="Test size" hint="fraction of all rows" errors={errors()} />
        <NumberField field="valSize" label="Validation size" hint="fraction of the rest" errors={errors()} />
        <NumberField field="seed" label="Seed" hint="random_state" errors={errors()} />
        <label class="field checkbox">
          <input type="checkbox" checked={form.stratify} onChange={(e) => setForm('stratify', e.currentTarget.checked)} />
          <span>Stratify by label</span>
        </label>
      </div>
      <div class="settings-group" role="group" aria-labelledby="grp-clip">
        <h4 id="grp-clip">Clip</h4>
        <label class="field checkbox">
          <input type="checkbox" checked={form.clipOn} onChange={(e) => setForm('clipOn', e.currentTarget.checked)} />
          <span>Clip to training percentiles</span>
        </label>
        <NumberField field="clipLo" label="Low percentile" errors={errors()} disabled={!form.clipOn} />
        <NumberField field="clipHi" label="High percentile" errors={{}} disabled={!form.clipOn} />
      </div>
      <div class="settings-group" role="group" aria-labelledby="grp-scale">
        <h4 id="grp-scale">Impute and scale</h4>
        <label class="field">
          <span class="field-label">Impute missing</span>
          <select value={form.impute} onChange={(e) => setForm('impute', e.currentTarget.value as typeof form.impute)}>
            <option value="median">median</option>
            <option value="mean">mean</option>
            <option value="constant">a constant</option>
            <option value="none">none (keep NaN)</option>
          </select>
        </label>
        <Show when={form.impute === 'constant'}>
          <NumberField field="imputeValue" label="Constant" errors={errors()} />
        </Show>
        <label class="field">
          <span class="field-label">Scaler</span>
          <select value={form.scaler} onChange={(e) => setForm('scaler', e.currentTarget.value as typeof form.scaler)}>
            <option value="robust">robust (RobustScaler, 25–75)</option>
            <option value="standard">standard (StandardScaler)</option>
            <option value="minmax">min-max (MinMaxScaler)</option>
            <option value="none">none</option>
          </select>
        </label>
      </div>
      <div class="settings-group" role="group" aria-labelledby="grp-smote">
        <h4 id="grp-smote">SMOTE</h4>
        <label class="field checkbox">
          <input type="checkbox" checked={form.smoteOn} onChange={(e) => setForm('smoteOn', e.currentTarget.checked)} />
          <span>Oversample the training split</span>
        </label>
        <Show when={form.smoteOn}>
          <NumberField field="smoteK" label="k neighbours" errors={errors()} />
          <NumberField field="smoteRatio" label="Ratio" hint="auto, or minority/majority" errors={{}} />
          <NumberField field="smoteSeed" label="SMOTE seed" placeholder="split seed" errors={{}} />
        </Show>
      </div>
      <button type="button" class="link" onClick={resetSettingsForm}>
        Reset to the seed recipe
      </button>
    </fieldset>
  );
}
