/** A card per dropped file: header facts, warnings or the error as written, and the role select. */
import { For, Match, Show, Switch, type JSX } from 'solid-js';
import type { ArrayInfo } from '../../core/npy';
import { assignRole, removeFile, roleOf, type DroppedArray, type DroppedFile, type FileRole } from '../shell/store';
import { formatBytes, formatCount, formatShape } from '../common/format';
import { WarningList } from '../common/warning-list';

const ARRAY_ROLES: { value: FileRole; label: string }[] = [
  { value: 'features', label: 'Features' },
  { value: 'labels', label: 'Labels' },
  { value: 'unused', label: 'Not used' },
];

const JSON_ROLES: { value: FileRole; label: string }[] = [
  { value: 'metadata', label: 'Feature metadata' },
  { value: 'unused', label: 'Not used' },
];

function RoleSelect(props: { fileId: string; entry?: string; label: string; options: typeof ARRAY_ROLES }): JSX.Element {
  return (
    <label class="role-select">
      <span>Use as</span>
      <select
        aria-label={`Role of ${props.label}`}
        data-testid={`role-${props.label}`}
        value={roleOf(props.fileId, props.entry)}
        onChange={(e) => assignRole(props.fileId, props.entry, e.currentTarget.value as FileRole)}
      >
        <For each={props.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
      </select>
    </label>
  );
}

/** The header facts of one array as a definition list. */
function ArrayFacts(props: { info: ArrayInfo }): JSX.Element {
  return (
    <dl class="facts">
      <dt>shape</dt>
      <dd class="mono" data-testid="fact-shape">{formatShape(props.info.shape)}</dd>
      <dt>dtype</dt>
      <dd class="mono" data-testid="fact-dtype">{props.info.dtype}</dd>
      <dt>order</dt>
      <dd>{props.info.fortranOrder ? 'Fortran' : 'C'}</dd>
      <dt>version</dt>
      <dd>{props.info.version}</dd>
      <dt>data</dt>
      <dd>{formatBytes(props.info.dataBytes)}</dd>
    </dl>
  );
}

function NpzArrays(props: { file: DroppedFile }): JSX.Element {
  return (
    <table class="npz-arrays">
      <caption class="visually-hidden">Arrays in {props.file.name}</caption>
      <thead>
        <tr>
          <th scope="col">array</th>
          <th scope="col">shape</th>
          <th scope="col">dtype</th>
          <th scope="col">order</th>
          <th scope="col">role</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.file.arrays}>
          {(a: DroppedArray) => (
            <tr>
              <td class="mono">{a.entry}</td>
              <td class="mono">{formatShape(a.info.shape)}</td>
              <td class="mono">{a.info.dtype}</td>
              <td>{a.info.fortranOrder ? 'F' : 'C'}</td>
              <td>
                <RoleSelect
                  fileId={props.file.id}
                  entry={a.entry}
                  label={`${props.file.name}:${a.entry}`}
                  options={ARRAY_ROLES}
                />
                <WarningList warnings={a.info.warnings} />
              </td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export function FileCard(props: { file: DroppedFile }): JSX.Element {
  const f = () => props.file;
  const role = () => (f().kind === 'npz' ? undefined : roleOf(f().id));
  return (
    <article
      class="file-card"
      classList={{ error: f().status === 'error', [`role-${role() ?? 'archive'}`]: true }}
      data-testid="file-card"
      data-file={f().name}
      aria-label={`File ${f().name}`}
      aria-busy={f().status === 'inspecting'}
    >
      <header class="file-card-head">
        <h3 class="file-name" title={f().name}>
          {f().name}
        </h3>
        <span class="muted">{formatBytes(f().size)}</span>
        <button type="button" class="link remove" aria-label={`Remove ${f().name}`} onClick={() => removeFile(f().id)}>
          Remove
        </button>
      </header>
      <Switch>
        <Match when={f().status === 'error'}>
          <p class="file-error" role="alert" data-testid="file-error">
            {f().error}
          </p>
        </Match>
        <Match when={f().status === 'inspecting'}>
          <p class="muted" role="status">
            Reading the header…
          </p>
        </Match>
        <Match when={f().kind === 'npy' && f().arrays[0]}>
          <ArrayFacts info={f().arrays[0]!.info} />
          <WarningList warnings={f().arrays[0]!.info.warnings} />
          <RoleSelect fileId={f().id} label={f().name} options={ARRAY_ROLES} />
        </Match>
        <Match when={f().kind === 'npz'}>
          <p class="muted">
            Archive with {formatCount(f().arrays.length)} array{f().arrays.length === 1 ? '' : 's'} — pick features and labels:
          </p>
          <NpzArrays file={f()} />
        </Match>
        <Match when={f().kind === 'json'}>
          <Show when={f().metadataSummary}>
            <p>
              {formatCount(f().metadataSummary!.names)} feature names
              <Show when={f().metadataSummary!.nFeatures !== undefined}>, n_features = {f().metadataSummary!.nFeatures}</Show>
            </p>
          </Show>
          <RoleSelect fileId={f().id} label={f().name} options={JSON_ROLES} />
        </Match>
      </Switch>
    </article>
  );
}
