/**
 * The S3 screen: connection panel on top (always visible, so every part says which bucket it talks to),
 * then the parts as sub-tabs — Upload, Bucket doctor, Bucket browser, Experiments.
 *
 * config.json beside index.html sets the defaults (a hosted deployment's bucket, or the embedded local
 * server under `npm start`); what the user changes persists in localStorage, secrets never do.
 */
import { createResource, createRoot, createSignal, For, Show, type JSX } from 'solid-js';
import { TabBar, type TabDef } from '../shell/tabs';
import { ConnectionPanel } from './connection/connection-panel';
import { initialSettings, makeS3ConnectionState, S3ConnectionContext, type S3ConnectionState } from './connection/store';
import { loadConfigDefaults } from './services';
import { UploadPanel } from './upload/upload-panel';
import { DoctorPanel } from './doctor/doctor-panel';
import { BucketBrowser } from './browser/bucket-browser';
import { ExperimentBrowser } from './experiments/experiment-browser';
import './s3.css';

type PartKey = 's3-upload' | 's3-doctor' | 's3-browser' | 's3-experiments';

const PART_VIEWS: Record<PartKey, () => JSX.Element> = {
  's3-upload': () => <UploadPanel />,
  's3-doctor': () => <DoctorPanel />,
  's3-browser': () => <BucketBrowser />,
  's3-experiments': () => <ExperimentBrowser />,
};

const PARTS: TabDef<PartKey>[] = [
  { key: 's3-upload', label: 'Upload' },
  { key: 's3-doctor', label: 'Bucket doctor' },
  { key: 's3-browser', label: 'Bucket browser' },
  { key: 's3-experiments', label: 'Experiments' },
];

/** config.json is read once per page load (a revisit of the screen reuses the answer). */
let configDefaults: ReturnType<typeof loadConfigDefaults> | undefined;

/** The S3 screen (default export rendered by the app shell's S3 tab). */
export default function S3View(): JSX.Element {
  const [defaults] = createResource(() => (configDefaults ??= loadConfigDefaults()));
  return (
    <Show when={!defaults.loading} fallback={<p class="muted" role="status">Reading config.json…</p>}>
      <S3Screen defaults={defaults()} />
    </Show>
  );
}

/**
 * Made once per page and kept while the user visits other screens: typed-in keys (memory only) and the
 * settings must survive a trip to the Prepare screen and back.
 */
let sharedState: S3ConnectionState | undefined;
const [part, setPart] = createSignal<PartKey>('s3-upload');
const [visited, setVisited] = createSignal<ReadonlySet<PartKey>>(new Set(['s3-upload']));

function showPart(key: PartKey): void {
  setPart(key);
  setVisited((v) => new Set([...v, key]));
}

function S3Screen(props: { defaults: Awaited<ReturnType<typeof loadConfigDefaults>> | undefined }): JSX.Element {
  const state = (sharedState ??= createRoot(() => makeS3ConnectionState(initialSettings(props.defaults?.settings))));
  return (
    <S3ConnectionContext.Provider value={state}>
      <div class="s3-screen">
        <ConnectionPanel configNote={props.defaults?.note} configError={props.defaults?.error} />
        <TabBar label="S3 tools" tabs={PARTS} current={part()} onSelect={showPart} />
        {/* A part is mounted on its first visit and then kept (hidden), so its results stay put. */}
        <For each={PARTS}>
          {(p) => (
            <Show when={visited().has(p.key)}>
              <section class="s3-part" id={`panel-${p.key}`} role="tabpanel" aria-labelledby={`tab-${p.key}`} hidden={part() !== p.key}>
                {PART_VIEWS[p.key]()}
              </section>
            </Show>
          )}
        </For>
      </div>
    </S3ConnectionContext.Provider>
  );
}
