/**
 * The bucket doctor: the seven `data/` components of the training framework's requirement check (✓/✗),
 * then the deep checks made from `.npy` headers (ranged GETs, no data downloaded) and the metadata,
 * the set-up diagnosis (CORS, permissions, credentials), and one verdict — "ready for training" or the
 * list of problems, each with its fix.
 */
import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { createConnectionReset, useS3Connection } from '../connection/store';
import { describeError, runDoctor, type DoctorView } from '../services';

type DoctorState = { status: 'idle' } | { status: 'running' } | { status: 'done'; view: DoctorView } | { status: 'error'; message: string };

/** The bucket doctor part of the S3 screen. */
export function DoctorPanel(): JSX.Element {
  const conn = useS3Connection();
  const [state, setState] = createSignal<DoctorState>({ status: 'idle' });
  // Only the latest run may set the state (a run for the previous connection is dropped).
  let seq = 0;
  createConnectionReset(conn, () => {
    seq++;
    setState({ status: 'idle' });
  });

  const run = async () => {
    const mine = ++seq;
    setState({ status: 'running' });
    try {
      const view = await runDoctor(conn.snapshot());
      if (mine === seq) setState({ status: 'done', view });
    } catch (e) {
      if (mine === seq) setState({ status: 'error', message: describeError(e) });
    }
  };

  const done = () => {
    const s = state();
    return s.status === 'done' ? s.view : undefined;
  };

  return (
    <section class="panel s3-doctor" aria-labelledby="s3-doctor-title">
      <div class="row">
        <h2 id="s3-doctor-title">Bucket doctor</h2>
        <button type="button" class="primary" disabled={state().status === 'running'} onClick={() => void run()}>
          {state().status === 'idle' ? 'Check the bucket' : 'Check again'}
        </button>
      </div>
      <Switch>
        <Match when={state().status === 'idle'}>
          <p class="empty-state">Checks that data/ in the bucket is what the training framework needs — without downloading the data.</p>
        </Match>
        <Match when={state().status === 'running'}>
          <p class="muted" role="status">Checking the bucket: listing data/, reading the .npy headers and the metadata…</p>
        </Match>
        <Match when={state().status === 'error' && state()}>
          {(s) => <p class="message error" role="alert">{(s() as { message: string }).message}</p>}
        </Match>
        <Match when={done()}>
          {(view) => (
            <div class="doctor-result">
              <p class={view().ready ? 'verdict ok' : 'verdict error'} role="status" data-testid="doctor-verdict">
                {view().ready ? '✓ Ready for training' : `✗ Not ready for training: ${view().problems.length} problem${view().problems.length === 1 ? '' : 's'}`}
              </p>
              <section aria-labelledby="doctor-checklist-title">
                <h3 id="doctor-checklist-title">Required files</h3>
                <ul class="checklist" data-testid="doctor-checklist">
                  <For each={view().checklist}>
                    {(item) => (
                      <li class={item.ok ? 'ok' : 'bad'} data-ok={item.ok ? 'true' : 'false'}>
                        <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> <span class="mono">{item.name}</span>
                        <span class="visually-hidden">{item.ok ? ' present' : ' missing'}</span>
                        <Show when={item.detail}><span class="muted"> — {item.detail}</span></Show>
                      </li>
                    )}
                  </For>
                </ul>
              </section>
              <Show when={view().deep.length > 0}>
                <section aria-labelledby="doctor-deep-title">
                  <h3 id="doctor-deep-title">Deep checks</h3>
                  <ul class="checklist" data-testid="doctor-deep">
                    <For each={view().deep}>
                      {(item) => (
                        <li class={item.ok ? 'ok' : 'bad'} data-ok={item.ok ? 'true' : 'false'}>
                          <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> {item.name}
                          <Show when={item.detail}><span class="muted"> — {item.detail}</span></Show>
                        </li>
                      )}
                    </For>
                  </ul>
                </section>
              </Show>
              <Show when={view().problems.length > 0}>
                <section aria-labelledby="doctor-problems-title">
                  <h3 id="doctor-problems-title">Problems and fixes</h3>
                  <ol class="problems" data-testid="doctor-problems">
                    <For each={view().problems}>
                      {(p) => (
                        <li>
                          <p class="message error">{p.problem}</p>
                          <Show when={p.fix}><p><strong>Fix:</strong> {p.fix}</p></Show>
                        </li>
                      )}
                    </For>
                  </ol>
                </section>
              </Show>
            </div>
          )}
        </Match>
      </Switch>
    </section>
  );
}
