/**
 * The bucket browser: one level of the prefix tree at a time (folders first, then objects with sizes and
 * dates), a breadcrumb to go up, "Load more" past the 1,000 keys S3 returns per page, a preview of a JSON
 * object or a `.npy` header, and download of an object.
 */
import { createSignal, For, Match, Show, Switch, type JSX } from 'solid-js';
import { createConnectionReset, useS3Connection } from '../connection/store';
import { describeError, downloadObject, listLevel, previewObject, type ListedObject, type ObjectPreview } from '../services';
import { formatBytes, formatDate } from '../format';
import { normalizePrefix } from '../../../s3/config';

interface LevelState {
  status: 'idle' | 'loading' | 'done' | 'error';
  prefix: string;
  folders: string[];
  objects: ListedObject[];
  nextToken?: string;
  error?: string;
  loadingMore?: boolean;
}

/** `a/b/c/` → crumbs for the bucket root, `a/`, `a/b/`, `a/b/c/`. */
export function breadcrumbs(prefix: string): { label: string; prefix: string }[] {
  const parts = prefix.split('/').filter(Boolean);
  return [{ label: '(bucket root)', prefix: '' }, ...parts.map((p, i) => ({ label: p, prefix: `${parts.slice(0, i + 1).join('/')}/` }))];
}

/** The bucket browser part of the S3 screen. */
export function BucketBrowser(): JSX.Element {
  const conn = useS3Connection();
  const startPrefix = () => normalizePrefix(conn.snapshot().settings.prefix);
  const [level, setLevel] = createSignal<LevelState>({ status: 'idle', prefix: startPrefix(), folders: [], objects: [] });
  const [preview, setPreview] = createSignal<{ key: string; status: 'loading' | 'done' | 'error'; result?: ObjectPreview; error?: string }>();
  const [downloadError, setDownloadError] = createSignal<string>();
  let requestSeq = 0;
  createConnectionReset(conn, () => {
    requestSeq++;
    setPreview(undefined);
    setDownloadError(undefined);
    setLevel({ status: 'idle', prefix: startPrefix(), folders: [], objects: [] });
  });

  const open = async (prefix: string) => {
    const seq = ++requestSeq;
    setPreview(undefined);
    setLevel({ status: 'loading', prefix, folders: [], objects: [] });
    try {
      const page = await listLevel(conn.snapshot(), prefix);
      if (seq !== requestSeq) return;
      setLevel({ status: 'done', prefix, folders: page.folders, objects: page.objects, nextToken: page.nextToken });
    } catch (e) {
      if (seq !== requestSeq) return;
      setLevel({ status: 'error', prefix, folders: [], objects: [], error: describeError(e) });
    }
  };

  const loadMore = async () => {
    const current = level();
    if (!current.nextToken) return;
    const seq = requestSeq;
    setLevel({ ...current, loadingMore: true });
    try {
      const page = await listLevel(conn.snapshot(), current.prefix, current.nextToken);
      if (seq !== requestSeq) return;
      setLevel({
        ...current,
        loadingMore: false,
        folders: [...current.folders, ...page.folders],
        objects: [...current.objects, ...page.objects],
        nextToken: page.nextToken,
      });
    } catch (e) {
      if (seq !== requestSeq) return;
      setLevel({ ...current, loadingMore: false, status: 'error', error: describeError(e) });
    }
  };

  const showPreview = async (obj: ListedObject) => {
    const key = obj.key;
    setPreview({ key, status: 'loading' });
    try {
      const result = await previewObject(conn.snapshot(), obj);
      if (preview()?.key === key) setPreview({ key, status: 'done', result });
    } catch (e) {
      if (preview()?.key === key) setPreview({ key, status: 'error', error: describeError(e) });
    }
  };

  const download = async (key: string) => {
    setDownloadError(undefined);
    try {
      const blob = await downloadObject(conn.snapshot(), key);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = key.split('/').pop() || 'object';
      document.body.append(a);
      a.click();
      a.remove();
      // Revoke later: the download has to start reading the blob first.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setDownloadError(describeError(e));
    }
  };

  const name = (key: string) => key.slice(level().prefix.length);

  return (
    <section class="panel s3-browser" aria-labelledby="s3-browser-title">
      <div class="row">
        <h2 id="s3-browser-title">Bucket browser</h2>
        <button type="button" class="primary" onClick={() => void open(level().status === 'idle' ? startPrefix() : level().prefix)}>
          {level().status === 'idle' ? 'List objects' : 'Refresh'}
        </button>
      </div>
      <nav aria-label="Prefix" class="breadcrumb">
        <For each={breadcrumbs(level().prefix)}>
          {(crumb, i) => (
            <>
              <Show when={i() > 0}>
                <span aria-hidden="true"> / </span>
              </Show>
              <button type="button" class="link" aria-current={crumb.prefix === level().prefix ? 'location' : undefined} onClick={() => void open(crumb.prefix)}>
                {crumb.label}
              </button>
            </>
          )}
        </For>
      </nav>
      <Switch>
        <Match when={level().status === 'idle'}>
          <p class="empty-state">Press “List objects” to see what is in the bucket.</p>
        </Match>
        <Match when={level().status === 'loading'}>
          <p class="muted" role="status">Listing {level().prefix || 'the bucket root'}…</p>
        </Match>
        <Match when={level().status === 'error'}>
          <p class="message error" role="alert">{level().error}</p>
        </Match>
        <Match when={level().status === 'done' && level().folders.length === 0 && level().objects.length === 0}>
          <p class="empty-state">Nothing under {level().prefix || 'the bucket root'}.</p>
        </Match>
        <Match when={level().status === 'done'}>
          <table class="objects" data-testid="s3-objects">
            <thead>
              <tr><th scope="col">Name</th><th scope="col" class="num">Size</th><th scope="col">Last modified</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              <For each={level().folders}>
                {(folder) => (
                  <tr class="folder">
                    <td>
                      <button type="button" class="link" onClick={() => void open(folder)}>
                        📁 {name(folder)}
                      </button>
                    </td>
                    <td class="num">–</td><td>–</td><td />
                  </tr>
                )}
              </For>
              <For each={level().objects}>
                {(obj) => (
                  <tr>
                    <td class="mono">{name(obj.key)}</td>
                    <td class="num">{formatBytes(obj.size)}</td>
                    <td>{formatDate(obj.lastModified)}</td>
                    <td class="actions">
                      <Show when={/\.(json|npy|txt|csv|md|ya?ml|log)$/i.test(obj.key)}>
                        <button type="button" onClick={() => void showPreview(obj)}>Preview</button>
                      </Show>
                      <button type="button" onClick={() => void download(obj.key)}>Download</button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <Show when={level().nextToken}>
            <button type="button" onClick={() => void loadMore()} disabled={level().loadingMore}>
              {level().loadingMore ? 'Loading…' : 'Load more'}
            </button>
          </Show>
          <p class="muted small">{level().folders.length} folders, {level().objects.length} objects{level().nextToken ? ' (more available)' : ''}.</p>
        </Match>
      </Switch>
      <Show when={downloadError()}>
        <p class="message error" role="alert">{downloadError()}</p>
      </Show>
      <Show when={preview()}>
        {(p) => (
          <section class="preview" aria-label={`Preview of ${p().key}`}>
            <h3 class="mono">{p().key}</h3>
            <Switch>
              <Match when={p().status === 'loading'}><p class="muted" role="status">Reading…</p></Match>
              <Match when={p().status === 'error'}><p class="message error" role="alert">{p().error}</p></Match>
              <Match when={p().result?.kind === 'json' && p().result}>
                {(r) => <pre class="json" data-testid="s3-preview-json">{(r() as Extract<ObjectPreview, { kind: 'json' }>).text}</pre>}
              </Match>
              <Match when={p().result?.kind === 'npy' && p().result}>
                {(r) => {
                  const npy = r() as Extract<ObjectPreview, { kind: 'npy' }>;
                  return (
                    <dl class="npy-header" data-testid="s3-preview-npy">
                      <dt>dtype</dt><dd class="mono">{npy.descr}</dd>
                      <dt>shape</dt><dd class="mono">({npy.shape.join(', ')}{npy.shape.length === 1 ? ',' : ''})</dd>
                      <dt>order</dt><dd>{npy.fortranOrder ? 'Fortran (column-major)' : 'C (row-major)'}</dd>
                      <dt>format version</dt><dd>{npy.version}</dd>
                      <dt>size</dt><dd>{formatBytes(npy.size)}</dd>
                    </dl>
                  );
                }}
              </Match>
            </Switch>
            <button type="button" onClick={() => setPreview(undefined)}>Close preview</button>
          </section>
        )}
      </Show>
    </section>
  );
}
