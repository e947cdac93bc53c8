/**
 * The experiment browser: `experiments/{name}/` under the connection's prefix. Per experiment: configs
 * by timestamp (view one, or tick two to diff), models per timestamp (count and sizes), and for a results
 * timestamp every `history_N.json` as uPlot line charts (all ensemble members overlaid per metric) with a
 * summary table — best epoch and value per member, mean ± sd of the best values across the ensemble.
 */
import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { createConnectionReset, useS3Connection } from '../connection/store';
import {
  describeError,
  diffConfigs,
  listExperiments,
  loadExperiment,
  loadHistories,
  readJsonObject,
  summarizeHistories,
  type ConfigDifference,
  type ExperimentListing,
  type MetricSummary,
  type NormalizedHistories,
  type ResultRun,
} from '../services';
import { formatBytes, formatDate, formatNumber } from '../format';
import { MetricChart } from './metric-chart';

/** The newest of some dates. */
function latest(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((a, d) => (d && (!a || d > a) ? d : a), undefined);
}

/** A JSON leaf for a diff cell. */
function leafText(v: unknown): string {
  return v === undefined ? '' : JSON.stringify(v);
}

type Loadable<T> = { status: 'idle' } | { status: 'loading' } | { status: 'error'; error: string } | { status: 'done'; value: T };

/** Runs `load` into `set` as a Loadable, keeping only the latest call's answer. */
function makeLoader<T>(set: (v: Loadable<T>) => void) {
  let seq = 0;
  const run = async (load: () => Promise<T>) => {
    const mine = ++seq;
    set({ status: 'loading' });
    try {
      const value = await load();
      if (mine === seq) set({ status: 'done', value });
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: describeError(e) });
    }
  };
  /** Drops the answer of a load still in flight. */
  run.cancel = () => void seq++;
  return run;
}

/** The experiments part of the S3 screen. */
export function ExperimentBrowser(): JSX.Element {
  const conn = useS3Connection();
  const [names, setNames] = createSignal<Loadable<string[]>>({ status: 'idle' });
  const [selected, setSelected] = createSignal<string>();
  const [experiment, setExperiment] = createSignal<Loadable<ExperimentListing>>({ status: 'idle' });
  const loadNames = makeLoader(setNames);
  const loadOne = makeLoader(setExperiment);
  createConnectionReset(conn, () => {
    loadNames.cancel();
    loadOne.cancel();
    setSelected(undefined);
    setNames({ status: 'idle' });
    setExperiment({ status: 'idle' });
  });

  const refresh = () => void loadNames(() => listExperiments(conn.snapshot()));
  const choose = (name: string) => {
    setSelected(name);
    void loadOne(() => loadExperiment(conn.snapshot(), name));
  };

  return (
    <section class="panel s3-experiments" aria-labelledby="s3-experiments-title">
      <div class="row">
        <h2 id="s3-experiments-title">Experiments</h2>
        <button type="button" class="primary" onClick={refresh}>{names().status === 'idle' ? 'List experiments' : 'Refresh'}</button>
      </div>
      <LoadableView state={names()} idle="Press “List experiments” to read experiments/ in the bucket." busy="Listing experiments…">
        {(list) => (
          <Show when={list.length > 0} fallback={<p class="empty-state">No experiments yet: nothing under experiments/ in this bucket and prefix.</p>}>
            <ul class="experiment-list" aria-label="Experiments">
              <For each={list}>
                {(name) => (
                  <li>
                    <button type="button" class="link" aria-pressed={selected() === name} onClick={() => choose(name)}>{name}</button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </LoadableView>
      <Show when={selected()}>
        <LoadableView state={experiment()} idle="" busy={`Reading experiments/${selected()}/…`}>
          {(listing) => <ExperimentDetail listing={listing} />}
        </LoadableView>
      </Show>
    </section>
  );
}

function LoadableView<T>(props: { state: Loadable<T>; idle: string; busy: string; children: (value: T) => JSX.Element }): JSX.Element {
  return (
    <Switch>
      <Match when={props.state.status === 'idle' && props.idle}>
        <p class="empty-state">{props.idle}</p>
      </Match>
      <Match when={props.state.status === 'loading'}>
        <p class="muted" role="status">{props.busy}</p>
      </Match>
      <Match when={props.state.status === 'error' && props.state}>
        {(s) => <p class="message error" role="alert">{(s() as { error: string }).error}</p>}
      </Match>
      <Match when={props.state.status === 'done' && props.state}>
        {(s) => props.children((s() as { value: T }).value)}
      </Match>
    </Switch>
  );
}

function ExperimentDetail(props: { listing: ExperimentListing }): JSX.Element {
  const conn = useS3Connection();
  const [ticked, setTicked] = createSignal<string[]>([]);
  const [configView, setConfigView] = createSignal<Loadable<{ title: string; text?: string; diff?: ConfigDifference[] }>>({ status: 'idle' });
  const [resultsTs, setResultsTs] = createSignal<string>();
  const [histories, setHistories] = createSignal<Loadable<{ run: ResultRun; histories: NormalizedHistories }>>({ status: 'idle' });
  const loadConfig = makeLoader(setConfigView);
  const loadResults = makeLoader(setHistories);

  const toggle = (key: string, on: boolean) => setTicked((t) => (on ? [...t.filter((k) => k !== key), key].slice(-2) : t.filter((k) => k !== key)));
  const view = (key: string) =>
    void loadConfig(async () => ({ title: key.split('/').pop()!, text: JSON.stringify(await readJsonObject(conn.snapshot(), key), null, 2) }));
  const diff = () => {
    const [a, b] = ticked();
    if (!a || !b) return;
    void loadConfig(async () => {
      const [left, right] = await Promise.all([readJsonObject(conn.snapshot(), a), readJsonObject(conn.snapshot(), b)]);
      return { title: `${a.split('/').pop()} → ${b.split('/').pop()}`, diff: diffConfigs(left, right) };
    });
  };
  const openResults = (ts: string) => {
    setResultsTs(ts);
    const run = props.listing.results.find((r) => r.timestamp === ts);
    if (!run) return;
    void loadResults(async () => ({ run, histories: await loadHistories(conn.snapshot(), run) }));
  };

  return (
    <div class="experiment-detail">
      <h3>{props.listing.name}</h3>
      <div class="experiment-columns">
        <section aria-labelledby="configs-title">
          <h4 id="configs-title">Configs</h4>
          <Show when={props.listing.configs.length > 0} fallback={<p class="muted">No config_*.json files.</p>}>
            <table class="configs">
              <thead><tr><th scope="col">Diff</th><th scope="col">Timestamp</th><th scope="col" class="num">Size</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                <For each={props.listing.configs}>
                  {(c) => (
                    <tr>
                      <td><input type="checkbox" aria-label={`Select config ${c.timestamp} for diff`} checked={ticked().includes(c.key)} onChange={(e) => toggle(c.key, e.currentTarget.checked)} /></td>
                      <td class="mono">{c.timestamp}</td>
                      <td class="num">{formatBytes(c.size)}</td>
                      <td><button type="button" onClick={() => view(c.key)}>View</button></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <button type="button" disabled={ticked().length !== 2} onClick={diff}>Diff selected ({ticked().length}/2)</button>
          </Show>
        </section>
        <section aria-labelledby="models-title">
          <h4 id="models-title">Models</h4>
          <Show when={props.listing.models.length > 0} fallback={<p class="muted">No models/ yet.</p>}>
            <table class="models">
              <thead><tr><th scope="col">Timestamp</th><th scope="col" class="num">Files</th><th scope="col" class="num">Total size</th><th scope="col">Last modified</th></tr></thead>
              <tbody>
                <For each={props.listing.models}>
                  {(m) => (
                    <tr><td class="mono">{m.timestamp}</td><td class="num">{m.count}</td><td class="num">{formatBytes(m.totalBytes)}</td><td>{formatDate(latest(m.files.map((f) => f.lastModified)))}</td></tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </section>
        <section aria-labelledby="results-title">
          <h4 id="results-title">Results</h4>
          <Show when={props.listing.results.length > 0} fallback={<p class="muted">No results/ yet.</p>}>
            <ul class="results-list">
              <For each={props.listing.results}>
                {(r) => (
                  <li>
                    <button type="button" class="link" aria-pressed={resultsTs() === r.timestamp} onClick={() => openResults(r.timestamp)}>
                      {r.timestamp}
                    </button>{' '}
                    <span class="muted">({r.histories.length} histories)</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </div>
      <LoadableView state={configView()} idle="" busy="Reading config…">
        {(v) => (
          <section class="config-view" aria-label={v.title}>
            <h4 class="mono">{v.title}</h4>
            <Show when={v.text !== undefined}>
              <pre class="json">{v.text}</pre>
            </Show>
            <Show when={v.diff}>
              {(d) => (
                <Show when={d().length > 0} fallback={<p>The two configs are identical.</p>}>
                  <table class="config-diff" data-testid="config-diff">
                    <thead><tr><th scope="col">Path</th><th scope="col">Change</th><th scope="col">Left</th><th scope="col">Right</th></tr></thead>
                    <tbody>
                      <For each={d()}>
                        {(row) => (
                          <tr class={`diff-${row.kind}`}><td class="mono">{row.path || '(root)'}</td><td>{row.kind}</td><td class="mono">{leafText(row.before)}</td><td class="mono">{leafText(row.after)}</td></tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </Show>
              )}
            </Show>
          </section>
        )}
      </LoadableView>
      <Show when={resultsTs()}>
        <LoadableView state={histories()} idle="" busy={`Reading results/${resultsTs()}/…`}>
          {(loaded) => <ResultsView timestamp={resultsTs()!} run={loaded.run} histories={loaded.histories} />}
        </LoadableView>
      </Show>
    </div>
  );
}

function ResultsView(props: { timestamp: string; run: ResultRun; histories: NormalizedHistories }): JSX.Element {
  const summary = (): MetricSummary[] => summarizeHistories(props.histories);
  // Members are aligned by position; their numbers come from the history_N.json names.
  const memberNumber = (i: number) => props.run.histories[i]?.member ?? i;
  const seriesOf = (metric: string) =>
    (props.histories.metrics[metric] ?? []).map((values, i) => ({ label: `member ${memberNumber(i)}`, values }));
  return (
    <section class="results-view" aria-label={`Results ${props.timestamp}`}>
      <Show when={props.histories.members > 0} fallback={<p class="empty-state">No history_N.json files under results/{props.timestamp}/.</p>}>
        <div class="charts">
          <For each={summary()}>{(s) => <MetricChart metric={s.metric} members={seriesOf(s.metric)} />}</For>
        </div>
        <table class="summary" data-testid="experiment-summary">
          <caption>Best epoch and value per member ({props.histories.members} members); mean ± sd of the best values across the ensemble</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col">Best is</th>
              <For each={props.run.histories}>{(h) => <th scope="col">member {h.member}</th>}</For>
              <th scope="col">mean ± sd</th>
            </tr>
          </thead>
          <tbody>
            <For each={summary()}>
              {(s) => (
                <tr data-metric={s.metric}>
                  <th scope="row" class="mono">{s.metric}</th>
                  <td>{s.goal === 'min' ? 'lowest' : 'highest'}</td>
                  <For each={s.members}>
                    {(m) => (
                      <td class="num" data-member={memberNumber(m.member)} data-best={m.bestEpoch >= 0 ? String(m.best) : ''} data-epoch={m.bestEpoch >= 0 ? String(m.bestEpoch + 1) : ''}>
                        <Show when={m.bestEpoch >= 0} fallback="–">
                          {formatNumber(m.best)} <span class="muted">(epoch {m.bestEpoch + 1})</span>
                        </Show>
                      </td>
                    )}
                  </For>
                  <td class="num" data-cell="mean-sd" data-mean={String(s.mean)} data-sd={String(s.sd)}>
                    {formatNumber(s.mean)} ± {formatNumber(s.sd)}
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <p class="muted small">Epochs are numbered from 1. sd is the sample standard deviation (n − 1) of the members' best values.</p>
      </Show>
    </section>
  );
}
