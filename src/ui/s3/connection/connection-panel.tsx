/**
 * The connection panel: choose AWS (Cognito identity pool), the local embedded server (the same Cognito
 * code path against a loopback endpoint) or temporary access keys (memory only); "Test connection"
 * answers with one sentence — what worked, or what failed and how to fix it.
 */
import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { useS3Connection } from './store';
import type { ConnectionKind, ConnectionSettings } from './settings';
import { describeError, testConnection, type ConnectionTestResult } from '../services';

const KINDS: { kind: ConnectionKind; label: string; hint: string }[] = [
  { kind: 'local', label: 'Local server', hint: 'The S3-compatible server started by npm start (through its loopback Cognito endpoint).' },
  { kind: 'aws', label: 'AWS', hint: 'Your bucket, with credentials from a Cognito identity pool.' },
  { kind: 'keys', label: 'Temporary access keys', hint: 'For development: keys are kept in memory only and forgotten on reload.' },
];

/** The connection settings form with its "Test connection" button. */
export function ConnectionPanel(props: { configNote?: string; configError?: string }): JSX.Element {
  const conn = useS3Connection();
  const [test, setTest] = createSignal<{ status: 'idle' | 'running' } | ({ status: 'done' } & ConnectionTestResult)>({ status: 'idle' });
  // Start from the keys in memory: leaving the screen and coming back must not show empty fields for
  // keys that are still in use.
  const [accessKeyId, setAccessKeyId] = createSignal(conn.keys()?.accessKeyId ?? '');
  const [secretAccessKey, setSecretAccessKey] = createSignal(conn.keys()?.secretAccessKey ?? '');
  const [sessionToken, setSessionToken] = createSignal(conn.keys()?.sessionToken ?? '');

  const update = <K extends keyof ConnectionSettings>(field: K, value: ConnectionSettings[K]) => {
    conn.setSettings(field, value);
    conn.save();
    setTest({ status: 'idle' });
  };
  const updateKeys = () => {
    const id = accessKeyId().trim();
    const secret = secretAccessKey().trim();
    conn.setKeys(id && secret ? { accessKeyId: id, secretAccessKey: secret, ...(sessionToken().trim() ? { sessionToken: sessionToken().trim() } : {}) } : undefined);
    setTest({ status: 'idle' });
  };

  const runTest = async () => {
    setTest({ status: 'running' });
    try {
      setTest({ status: 'done', ...(await testConnection(conn.snapshot())) });
    } catch (e) {
      setTest({ status: 'done', ok: false, message: describeError(e) });
    }
  };

  const text = (field: keyof ConnectionSettings, label: string, placeholder = '', describedBy?: string) => (
    <label class="field">
      <span>{label}</span>
      <input
        type="text"
        name={field}
        value={conn.settings[field]}
        placeholder={placeholder}
        spellcheck={false}
        autocomplete="off"
        aria-describedby={describedBy}
        onChange={(e) => update(field, e.currentTarget.value.trim() as never)}
      />
    </label>
  );

  return (
    <section class="panel s3-connection" aria-labelledby="s3-connection-title">
      <h2 id="s3-connection-title">Connection</h2>
      <Show when={props.configError}>
        <p class="message error" role="alert">{props.configError}</p>
      </Show>
      <Show when={props.configNote}>
        <p class="muted">{props.configNote}</p>
      </Show>
      <fieldset class="kinds">
        <legend>Connect to</legend>
        <For each={KINDS}>
          {(k) => (
            <label class="kind" title={k.hint}>
              <input
                type="radio"
                name="s3-kind"
                value={k.kind}
                checked={conn.settings.kind === k.kind}
                onChange={() => update('kind', k.kind)}
              />
              {k.label}
            </label>
          )}
        </For>
      </fieldset>
      <p class="muted">{KINDS.find((k) => k.kind === conn.settings.kind)?.hint}</p>
      <div class="fields">
        {text('bucket', 'Bucket', 'my-bucket')}
        {text('prefix', 'Key prefix (optional)', 'project-a')}
        {text('region', 'Region', 'eu-west-1')}
        <Switch>
          <Match when={conn.settings.kind === 'aws'}>{text('identityPoolId', 'Cognito identity pool id', 'eu-west-1:0000…')}</Match>
          <Match when={conn.settings.kind === 'local'}>
            {text('identityPoolId', 'Identity pool id', 'local:…')}
            {text('endpoint', 'S3 endpoint', 'http://127.0.0.1:5001')}
            {text('cognitoEndpoint', 'Cognito endpoint', 'http://127.0.0.1:5002')}
          </Match>
          <Match when={conn.settings.kind === 'keys'}>
            {text('endpoint', 'S3 endpoint (empty for AWS)', 'http://127.0.0.1:5001')}
            <label class="field">
              <span>Access key id</span>
              <input type="text" name="accessKeyId" autocomplete="off" spellcheck={false} value={accessKeyId()} onInput={(e) => { setAccessKeyId(e.currentTarget.value); updateKeys(); }} />
            </label>
            <label class="field">
              <span>Secret access key</span>
              <input type="password" name="secretAccessKey" autocomplete="off" value={secretAccessKey()} onInput={(e) => { setSecretAccessKey(e.currentTarget.value); updateKeys(); }} />
            </label>
            <label class="field">
              <span>Session token (optional)</span>
              <input type="password" name="sessionToken" autocomplete="off" value={sessionToken()} onInput={(e) => { setSessionToken(e.currentTarget.value); updateKeys(); }} />
            </label>
            <p class="muted small">Keys stay in this tab's memory: they are not saved and are gone after a reload.</p>
          </Match>
        </Switch>
      </div>
      <div class="row">
        <button type="button" class="primary" onClick={() => void runTest()} disabled={test().status === 'running'}>
          Test connection
        </button>
        <div class="test-result" role="status" aria-live="polite" data-testid="s3-test-result">
          <Switch>
            <Match when={test().status === 'running'}>Testing…</Match>
            <Match when={(() => { const t = test(); return t.status === 'done' ? t : undefined; })()}>
              {(t) => <span class={t().ok ? 'message ok' : 'message error'}>{t().ok ? '✓ ' : '✗ '}{t().message}</span>}
            </Match>
          </Switch>
        </div>
      </div>
    </section>
  );
}
