/**
 * The workbench page: a header, the screen tab bar (Files, Report, Prepare, S3) and the current screen.
 * Screens share state through src/ui/shell/store.ts; numeric work goes to the engine worker
 * (src/workers/engine.client.ts), never the UI thread.
 */
import { Match, onMount, Switch, type JSX } from 'solid-js';
import { TabBar, type TabDef } from './shell/tabs';
import { currentScreen as screen, showScreen, type ScreenKey } from './shell/navigation';
import FilesView from './files/view';
import ReportView from './report/view';
import PrepareView from './prepare/view';
import S3View from './s3/view';
import { restorePreparedFromStorage } from './prepare/store';

const SCREENS: TabDef<ScreenKey>[] = [
  { key: 'files', label: 'Files' },
  { key: 'report', label: 'Report' },
  { key: 'prepare', label: 'Prepare' },
  { key: 's3', label: 'S3' },
];

/** The root component. */
export function App(): JSX.Element {
  // A reload loses nothing: the last prepared layout is still in OPFS.
  onMount(() => void restorePreparedFromStorage());
  return (
    <div class="app">
      <header class="app-header">
        <h1>Prospectivity Data Workbench</h1>
        <TabBar label="Screens" tabs={SCREENS} current={screen()} onSelect={showScreen} />
      </header>
      <main class="app-main" id={`panel-${screen()}`} role="tabpanel" aria-labelledby={`tab-${screen()}`}>
        <Switch>
          <Match when={screen() === 'files'}>
            <FilesView />
          </Match>
          <Match when={screen() === 'report'}>
            <ReportView />
          </Match>
          <Match when={screen() === 'prepare'}>
            <PrepareView />
          </Match>
          <Match when={screen() === 's3'}>
            <S3View />
          </Match>
        </Switch>
      </main>
    </div>
  );
}
