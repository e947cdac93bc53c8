/**
 * The upload part: pick the prepared splits (from browser storage) or drop any files and map each to a
 * key, then upload in the upload worker with per-file and total progress (bytes, MB/s, time left),
 * Cancel, retries shown, a confirmation before an existing object with other content is overwritten,
 * and identical objects skipped (so a re-run after an interruption sends only what is missing).
 */
import { createRoot, createSignal, For, Match, onMount, Show, Switch, type JSX } from 'solid-js';
import { useS3Connection } from '../connection/store';
import { describeError } from '../services';
import { formatBytes, formatDuration, formatRate, recentRate, secondsLeft, type RateSample } from '../format';
import { uploadClient } from '../../../workers/upload.client';
import { isAbortError } from '../../../core/errors';
import { normalizePrefix } from '../../../s3/config';
import type { ConflictDecision, FileStatus, PreparedLayout, UploadConflict, UploadSource, UploadSummary } from './upload-types';

type SourceKind = 'prepared' | 'files';

/** Below this (bytes/s) the rate is noise from the first few bytes, and the time left would be absurd. */
const MIN_SHOWN_RATE = 10_000;

interface DroppedForUpload {
  id: number;
  file: File;
  /** Relative key below the prefix; editable. */
  path: string;
}

type RunState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; summary: UploadSummary }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

const PHASE_TEXT: Record<FileStatus['phase'], string> = {
  queued: 'waiting',
  hashing: 'computing SHA-256',
  checking: 'comparing with the bucket',
  uploading: 'uploading',
  verifying: 'verifying (HeadObject)',
  done: 'uploaded and verified',
  skipped: 'skipped',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** A relative key must stay below the prefix: no empty parts, `.` or `..`. */
export function badRelativeKey(path: string): string | undefined {
  if (!path.trim()) return 'The key is empty.';
  if (path.startsWith('/')) return 'The key must not start with “/”.';
  if (path.split('/').some((p) => p === '' || p === '.' || p === '..')) return 'The key has an empty, “.” or “..” part.';
  return undefined;
}

/**
 * The upload's state lives outside the component (one upload per page): switching screens or tabs while
 * an upload runs must not lose its progress, its Cancel button or a pending overwrite question.
 */
const uploadState = createRoot(() => {
  const [sourceKind, setSourceKind] = createSignal<SourceKind>('prepared');
  const [prepared, setPrepared] = createSignal<{ status: 'loading' } | { status: 'done'; layout: PreparedLayout | null } | { status: 'error'; message: string }>({ status: 'loading' });
  const [dropped, setDropped] = createSignal<DroppedForUpload[]>([]);
  const [files, setFiles] = createSignal<FileStatus[]>([]);
  const [run, setRun] = createSignal<RunState>({ status: 'idle' });
  const [conflict, setConflict] = createSignal<{ conflict: UploadConflict; answer: (d: ConflictDecision) => void }>();
  const [forAll, setForAll] = createSignal(false);
  const [samples, setSamples] = createSignal<RateSample[]>([]);
  const [verifyByDownload, setVerifyByDownload] = createSignal(false);
  return { verifyByDownload, setVerifyByDownload, sourceKind, setSourceKind, prepared, setPrepared, dropped, setDropped, files, setFiles, run, setRun, conflict, setConflict, forAll, setForAll, samples, setSamples };
});
let controller: AbortController | undefined;
let nextDropId = 1;

/** The upload part of the S3 screen. */
export function UploadPanel(): JSX.Element {
  const conn = useS3Connection();
  const { verifyByDownload, setVerifyByDownload, sourceKind, setSourceKind, prepared, setPrepared, dropped, setDropped, files, setFiles, run, setRun, conflict, setConflict, forAll, setForAll, samples, setSamples } = uploadState;

  const loadPrepared = async () => {
    setPrepared({ status: 'loading' });
    try {
      setPrepared({ status: 'done', layout: await uploadClient().preparedLayout() });
    } catch (e) {
      setPrepared({ status: 'error', message: describeError(e) });
    }
  };
  onMount(() => {
    if (run().status === 'running') return;
    void loadPrepared().then(() => {
      const p = prepared();
      if (p.status === 'done' && !p.layout) setSourceKind('files');
    });
  });

  const addFiles = (list: FileList | null | undefined) => {
    if (!list) return;
    const added = [...list].map((file) => ({ id: nextDropId++, file, path: `data/${file.name}` }));
    setDropped((d) => [...d, ...added]);
    setSourceKind('files');
  };

  const source = (): UploadSource | undefined => {
    if (sourceKind() === 'prepared') {
      const p = prepared();
      return p.status === 'done' && p.layout ? { kind: 'prepared', root: p.layout.root, files: p.layout.files } : undefined;
    }
    const d = dropped();
    if (d.length === 0 || d.some((f) => badRelativeKey(f.path))) return undefined;
    return { kind: 'files', files: d.map((f) => ({ path: f.path, file: f.file })) };
  };

  const start = async () => {
    const src = source();
    if (!src) return;
    controller = new AbortController();
    setForAll(false);
    setRun({ status: 'running' });
    setFiles([]);
    setSamples([{ atMs: performance.now(), bytes: 0 }]);
    try {
      const summary = await uploadClient().upload(conn.snapshot(), src, {
        signal: controller.signal,
        verifyByDownload: verifyByDownload(),
        onUpdate: (update) => {
          setFiles(update);
          const sent = update.reduce((a, f) => a + f.sentBytes, 0);
          setSamples((s) => [...s.filter((x) => performance.now() - x.atMs < 10_000), { atMs: performance.now(), bytes: sent }]);
        },
        confirmOverwrite: (c) =>
          new Promise<ConflictDecision>((resolve) =>
            setConflict({
              conflict: c,
              answer: (d) => {
                setConflict(undefined);
                resolve(d);
              },
            }),
          ),
      });
      setFiles(summary.files);
      setRun({ status: 'done', summary });
    } catch (e) {
      setConflict(undefined);
      setRun(isAbortError(e) ? { status: 'cancelled' } : { status: 'error', message: describeError(e) });
    } finally {
      controller = undefined;
    }
  };

  const cancel = () => {
    conflict()?.answer({ overwrite: false, forAll: true });
    controller?.abort();
  };

  const toSend = () => files().filter((f) => f.phase !== 'skipped').reduce((a, f) => a + f.size, 0);
  const sent = () => files().reduce((a, f) => a + f.sentBytes, 0);
  const rate = () => recentRate(samples(), performance.now());
  const prefixShown = () => normalizePrefix(conn.settings.prefix) || '(the bucket root)';

  return (
    <section class="panel s3-upload" aria-labelledby="s3-upload-title">
      <h2 id="s3-upload-title">Upload</h2>
      <fieldset class="kinds" disabled={run().status === 'running'}>
        <legend>What to upload</legend>
        <label class="kind">
          <input type="radio" name="upload-source" value="prepared" checked={sourceKind() === 'prepared'} onChange={() => setSourceKind('prepared')} />
          Prepared splits (from the Prepare screen)
        </label>
        <label class="kind">
          <input type="radio" name="upload-source" value="files" checked={sourceKind() === 'files'} onChange={() => setSourceKind('files')} />
          Files of my choice
        </label>
      </fieldset>

      <Switch>
        <Match when={sourceKind() === 'prepared'}>
          <Switch>
            <Match when={prepared().status === 'loading'}>
              <p class="muted" role="status">Looking for prepared splits in browser storage…</p>
            </Match>
            <Match when={prepared().status === 'error' && prepared()}>
              {(p) => <p class="message error" role="alert">{(p() as { message: string }).message}</p>}
            </Match>
            <Match when={(() => { const p = prepared(); return p.status === 'done' ? p : undefined; })()}>
              {(p) => (
                <Show when={p().layout} fallback={<p class="empty-state">Nothing prepared yet: prepare the splits on the Prepare screen, or choose “Files of my choice”. <button type="button" onClick={() => void loadPrepared()}>Look again</button></p>}>
                  {(layout) => (
                    <>
                      <p class="muted">
                        {layout().files.length} files, {formatBytes(layout().files.reduce((a, f) => a + f.size, 0))}, to go under {prefixShown()}. <button type="button" onClick={() => void loadPrepared()}>Refresh</button>
                      </p>
                      <ul class="file-list mono" data-testid="upload-prepared-files">
                        <For each={layout().files}>{(f) => <li>{f.path} <span class="muted">({formatBytes(f.size)})</span></li>}</For>
                      </ul>
                    </>
                  )}
                </Show>
              )}
            </Match>
          </Switch>
        </Match>
        <Match when={sourceKind() === 'files'}>
          <div
            class="drop-zone"
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              addFiles(e.dataTransfer?.files);
            }}
          >
            <p>Drop files here, or <label class="button">choose files<input type="file" multiple class="visually-hidden" data-testid="upload-file-input" onChange={(e) => { addFiles(e.currentTarget.files); e.currentTarget.value = ''; }} /></label></p>
            <p class="muted small">Each file goes to the key shown, under {prefixShown()}.</p>
          </div>
          <Show when={dropped().length > 0}>
            <table class="dropped">
              <thead><tr><th scope="col">File</th><th scope="col" class="num">Size</th><th scope="col">Key below the prefix</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
              <tbody>
                <For each={dropped()}>
                  {(d) => (
                    <tr>
                      <td>{d.file.name}</td>
                      <td class="num">{formatBytes(d.file.size)}</td>
                      <td>
                        <input
                          type="text"
                          class="mono"
                          aria-label={`Key for ${d.file.name}`}
                          value={d.path}
                          aria-invalid={badRelativeKey(d.path) ? 'true' : undefined}
                          title={badRelativeKey(d.path)}
                          onInput={(e) => {
                            const path = e.currentTarget.value;
                            setDropped((all) => all.map((x) => (x.id === d.id ? { ...x, path } : x)));
                          }}
                        />
                      </td>
                      <td><button type="button" aria-label={`Remove ${d.file.name}`} disabled={run().status === 'running'} onClick={() => setDropped((all) => all.filter((x) => x.id !== d.id))}>✕</button></td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        </Match>
      </Switch>

      <label class="kind">
        <input type="checkbox" checked={verifyByDownload()} disabled={run().status === 'running'} onChange={(e) => setVerifyByDownload(e.currentTarget.checked)} />
        Also download each uploaded object and compare its SHA-256 (doubles the traffic; HeadObject checks size and the recorded SHA-256 always)
      </label>
      <div class="row">
        <button type="button" class="primary" disabled={!source() || run().status === 'running'} onClick={() => void start()}>Upload</button>
        <button type="button" disabled={run().status !== 'running'} onClick={cancel}>Cancel</button>
      </div>

      <Show when={conflict()}>
        {(c) => (
          <div class="confirm" role="alertdialog" aria-labelledby="conflict-title" aria-describedby="conflict-desc">
            <h3 id="conflict-title">Overwrite {c().conflict.key}?</h3>
            <p id="conflict-desc">
              The bucket already has a different object there: {formatBytes(c().conflict.existingSize)}
              {c().conflict.existingSha256 ? `, SHA-256 ${c().conflict.existingSha256!.slice(0, 16)}…` : ', no SHA-256 recorded'}. The new file is{' '}
              {formatBytes(c().conflict.size)}, SHA-256 {c().conflict.sha256.slice(0, 16)}…. Identical objects are skipped without asking.
            </p>
            <label><input type="checkbox" checked={forAll()} onChange={(e) => setForAll(e.currentTarget.checked)} /> Same answer for the other changed objects of this upload</label>
            <div class="row">
              <button type="button" class="primary" onClick={() => c().answer({ overwrite: true, forAll: forAll() })}>Overwrite</button>
              <button type="button" ref={(el) => queueMicrotask(() => el.focus())} onClick={() => c().answer({ overwrite: false, forAll: forAll() })}>Keep the existing object</button>
            </div>
          </div>
        )}
      </Show>

      <Show when={files().length > 0}>
        <div class="upload-progress" data-testid="upload-progress">
          <div class="total">
            <label>
              Total: {formatBytes(sent())} of {formatBytes(toSend())}
              <progress max={Math.max(1, toSend())} value={sent()} aria-label="Total upload progress" />
            </label>
            <Show when={run().status === 'running'}>
              <span class="muted" data-testid="upload-rate">
                <Show when={rate() >= MIN_SHOWN_RATE} fallback="measuring speed…">
                  {formatRate(rate())}, {formatDuration(secondsLeft(toSend() - sent(), rate()))} left
                </Show>
              </span>
            </Show>
          </div>
          <table class="upload-files">
            <thead><tr><th scope="col">Key</th><th scope="col" class="num">Size</th><th scope="col">Progress</th><th scope="col">State</th><th scope="col" class="num">Retries</th></tr></thead>
            <tbody>
              <For each={files()}>
                {(f) => (
                  <tr data-key={f.key} data-phase={f.phase}>
                    <td class="mono">{f.key}</td>
                    <td class="num">{formatBytes(f.size)}</td>
                    <td>
                      <progress
                        max={Math.max(1, f.size)}
                        value={f.phase === 'hashing' ? f.hashedBytes : f.phase === 'skipped' || f.phase === 'done' ? f.size : f.sentBytes}
                        aria-label={`${f.key} ${PHASE_TEXT[f.phase]}`}
                      />
                    </td>
                    <td class={f.phase === 'failed' ? 'message error' : f.phase === 'done' ? 'message ok' : ''}>
                      {PHASE_TEXT[f.phase]}
                      <Show when={f.message}>: {f.message}</Show>
                    </td>
                    <td class="num">{f.retries}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>

      <div role="status" aria-live="polite" data-testid="upload-result">
        <Switch>
          <Match when={run().status === 'running'}>Uploading…</Match>
          <Match when={run().status === 'cancelled'}>Cancelled. Upload again to send what is missing: finished files are skipped.</Match>
          <Match when={run().status === 'error' && run()}>{(r) => <p class="message error" role="alert">{(r() as { message: string }).message}</p>}</Match>
          <Match when={(() => { const r = run(); return r.status === 'done' ? r.summary : undefined; })()}>
            {(s) => (
              <p class={s().failed > 0 ? 'message error' : 'message ok'}>
                {s().failed > 0 ? '✗' : '✓'} {s().uploaded} uploaded and verified, {s().skipped} identical skipped, {s().kept} kept as they were, {s().failed} failed — {formatBytes(s().bytesSent)} in {formatDuration(s().seconds)}.
              </p>
            )}
          </Match>
        </Switch>
      </div>
    </section>
  );
}

