/**
 * Prepare end to end in Chromium: drop features + labels, prepare with the default settings (the seed
 * recipe), check the split sizes on screen against the split module for the same seed, download the
 * .zip (the Blob fallback: the test removes showSaveFilePicker), unzip it in Node and check the layout
 * and that labels and indices agree with the split; then reload — the prepared result is still shown
 * (kept in OPFS).
 */
import { describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { encodeNpy } from '../../src/core/npy-write';
import { readArrayInfo } from '../../src/core/npy';
import { bytesSource } from '../../src/core/source';
import { splitRecipe } from '../../src/core/split';
import { instantiateKernels } from '../../src/engine/wasm';
import { DEFAULT_PREPARE_SETTINGS } from '../../src/core/prepare-types';
import { chromiumAvailable, dropFiles, makeTempDir, useE2E, writeLargeNpy } from './harness';
import { npyHeader } from '../../src/core/npy-write';
import { makeRandom } from './reference';
import { makeEngine } from '../../src/engine/engine';
import { memorySink } from '../core/prepare-memory-sink';

const haveChromium = chromiumAvailable();
if (!haveChromium) console.warn('Skipping the prepare e2e test: /usr/bin/chromium is missing (apt-get install -y chromium).');

const LAYOUT = [
  'data/features_metadata.json',
  'data/preprocessor.json',
  ...['training', 'validation', 'test'].flatMap((s) => ['features', 'labels', 'indices'].map((k) => `data/${s}/${k}.npy`)),
].sort();

/** The data of a little-endian .npy as a typed array of its dtype. */
async function npyData(bytes: Uint8Array, name: string): Promise<{ shape: number[]; data: Float32Array | BigInt64Array }> {
  const info = await readArrayInfo(bytesSource(bytes, name));
  const body = bytes.slice(info.headerBytes, info.headerBytes + info.dataBytes);
  if (info.dtype === '<f4') return { shape: info.shape, data: new Float32Array(body.buffer) };
  if (info.dtype === '<i8') return { shape: info.shape, data: new BigInt64Array(body.buffer) };
  throw new Error(`${name}: unexpected dtype ${info.dtype}`);
}

describe.skipIf(!haveChromium)('page e2e: prepare', () => {
  const e2e = useE2E();

  it('prepare with defaults → zip with the bucket layout matching the split; a reload keeps the result', async () => {
    const rows = 700;
    const cols = 4;
    const rnd = makeRandom(42);
    const features = new Float32Array(rows * cols);
    const labels = new Float32Array(rows);
    for (let i = 0; i < rows; i++) {
      labels[i] = rnd() < 0.25 ? 1 : 0;
      for (let j = 0; j < cols; j++) features[i * cols + j] = j === 3 && rnd() < 0.1 ? Number.NaN : rnd() * 100 + j;
    }
    const expected = splitRecipe(await instantiateKernels('scalar'), Float64Array.from(labels), DEFAULT_PREPARE_SETTINGS);

    const t = await e2e().newPage();
    // Force the download path (a save dialog cannot be driven headless).
    await t.page.addInitScript(() => {
      delete (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    });
    await t.page.goto(e2e().url);
    await dropFiles(t.page, [
      { name: 'features.npy', bytes: encodeNpy('<f4', [rows, cols], features) },
      { name: 'labels.npy', bytes: encodeNpy('<f4', [rows], labels) },
    ]);
    await expect.poll(() => t.page.getByTestId('selected-labels').textContent()).toContain('labels.npy');
    await t.page.getByRole('tab', { name: 'Prepare' }).click();
    // The form shows the seed recipe.
    expect(await t.page.getByTestId('setting-testSize').inputValue()).toBe('0.15');
    expect(await t.page.getByTestId('setting-valSize').inputValue()).toBe('0.176');
    expect(await t.page.getByTestId('setting-seed').inputValue()).toBe('42');
    await t.page.getByTestId('run-prepare').click();
    await t.page.getByTestId('prepare-results').waitFor({ timeout: 60_000 });

    for (const split of ['training', 'validation', 'test'] as const) {
      expect(await t.page.getByTestId(`rows-${split}`).textContent()).toBe(expected[split].length.toLocaleString('en-US'));
    }

    const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.getByTestId('export-zip').click()]);
    expect(download.suggestedFilename()).toBe('prepared-data.zip');
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    expect(Object.keys(files).sort()).toEqual(LAYOUT);

    for (const split of ['training', 'validation', 'test'] as const) {
      const idx = await npyData(files[`data/${split}/indices.npy`]!, `${split}/indices.npy`);
      const lab = await npyData(files[`data/${split}/labels.npy`]!, `${split}/labels.npy`);
      const feat = await npyData(files[`data/${split}/features.npy`]!, `${split}/features.npy`);
      expect(Array.from(idx.data as BigInt64Array, Number)).toEqual(Array.from(expected[split]));
      expect(Array.from(lab.data as Float32Array)).toEqual(Array.from(expected[split], (i) => labels[i]!));
      expect(feat.shape).toEqual([expected[split].length, cols]);
      // Imputed: no NaN left.
      expect((feat.data as Float32Array).some((v) => Number.isNaN(v))).toBe(false);
    }
    // The page and the CLI produce the same files: the in-thread engine on the same bytes.
    const sink = memorySink();
    await makeEngine().prepare({
      features: { kind: 'bytes', bytes: encodeNpy('<f4', [rows, cols], features), name: 'features.npy' },
      labels: { kind: 'bytes', bytes: encodeNpy('<f4', [rows], labels), name: 'labels.npy' },
      metadata: JSON.parse(JSON.stringify({ n_features: cols, feature_names: ['feature_0', 'feature_1', 'feature_2', 'feature_3'], feature_types: {}, units: {} })),
      settings: DEFAULT_PREPARE_SETTINGS,
      out: sink,
    });
    for (const path of LAYOUT) {
      expect(Buffer.from(files[path]!).equals(Buffer.from(sink.files.get(path)!)), path).toBe(true);
    }
    const metadata = JSON.parse(new TextDecoder().decode(files['data/features_metadata.json']));
    expect(metadata.n_features).toBe(cols);
    expect(metadata.feature_names).toEqual(['feature_0', 'feature_1', 'feature_2', 'feature_3']);

    // A reload loses nothing: the result comes back from OPFS.
    await t.page.reload();
    await t.page.getByRole('tab', { name: 'Prepare' }).click();
    await t.page.getByTestId('prepare-results').waitFor({ timeout: 10_000 });
    expect(await t.page.getByTestId('rows-test').textContent()).toBe(expected.test.length.toLocaleString('en-US'));
    // …and it can still be exported after the reload.
    const [again] = await Promise.all([t.page.waitForEvent('download'), t.page.getByTestId('export-zip').click()]);
    const chunks2: Buffer[] = [];
    for await (const c of await again.createReadStream()) chunks2.push(c as Buffer);
    expect(Object.keys(unzipSync(new Uint8Array(Buffer.concat(chunks2)))).sort()).toEqual(LAYOUT);

    expect(t.consoleErrors).toEqual([]);
    expect(t.origins()).toEqual([e2e().origin]);
  }, 120_000);

  it('a long prepare can be cancelled: the UI says so and the previous result stays (OPFS staging discarded)', async () => {
    const rows = Number(process.env.E2E_PREPARE_ROWS ?? 1_000_000);
    const cols = 20; // 80 MB of float32
    const tmp = makeTempDir('prepare-cancel');
    try {
      const featuresPath = `${tmp.dir}/features.npy`;
      const labelsPath = `${tmp.dir}/labels.npy`;
      writeLargeNpy(featuresPath, npyHeader('<f4', [rows, cols]), rows, cols, (r0, view) => {
        for (let k = 0; k < view.length; k++) view[k] = ((r0 * cols + k) * 2654435761) % 1000;
      });
      writeLargeNpy(labelsPath, npyHeader('<f4', [rows]), rows, 1, (r0, view) => {
        for (let k = 0; k < view.length; k++) view[k] = (r0 + k) % 7 === 0 ? 1 : 0;
      });
      const t = await e2e().newPage();
      await t.page.goto(e2e().url);
      // A small first run gives a result to keep.
      const small = 200;
      await dropFiles(t.page, [
        { name: 'features_small.npy', bytes: encodeNpy('<f4', [small, 2], Float32Array.from({ length: small * 2 }, (_, i) => i % 13)) },
        { name: 'labels_small.npy', bytes: encodeNpy('<f4', [small], Float32Array.from({ length: small }, (_, i) => (i % 4 === 0 ? 1 : 0))) },
      ]);
      await expect.poll(() => t.page.getByTestId('selected-labels').textContent()).toContain('labels_small.npy');
      await t.page.getByRole('tab', { name: 'Prepare' }).click();
      await t.page.getByTestId('run-prepare').click();
      await t.page.getByTestId('prepare-results').waitFor({ timeout: 60_000 });
      const smallTest = await t.page.getByTestId('rows-test').textContent();

      // Now the big files replace the small ones as features and labels.
      await t.page.getByRole('tab', { name: 'Files' }).click();
      await dropFiles(t.page, [{ path: featuresPath }, { path: labelsPath }]);
      await t.page.getByTestId('role-features.npy').selectOption('features');
      await t.page.getByTestId('role-labels.npy').selectOption('labels');
      await t.page.getByRole('tab', { name: 'Prepare' }).click();
      await t.page.getByTestId('run-prepare').click();
      const progress = t.page.getByTestId('progress');
      await progress.waitFor({ timeout: 10_000 });
      await t.page.waitForTimeout(500);
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await t.page.getByTestId('prepare-cancelled').waitFor({ timeout: 5000 });
      expect(await t.page.getByTestId('rows-test').textContent()).toBe(smallTest);

      // After a reload the small result is what OPFS holds (the cancelled run left nothing behind).
      await t.page.reload();
      await t.page.getByRole('tab', { name: 'Prepare' }).click();
      await t.page.getByTestId('prepare-results').waitFor({ timeout: 10_000 });
      expect(await t.page.getByTestId('rows-test').textContent()).toBe(smallTest);
      const runFolders = await t.page.evaluate(async () => {
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('prepared');
        const names: string[] = [];
        for await (const [name, h] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
          if (h.kind === 'directory') names.push(name);
        }
        return names;
      });
      expect(runFolders).toHaveLength(1);
      expect(t.consoleErrors).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  }, 180_000);

  it('the metadata editor: pasted names, a unit and the data source reach features_metadata.json; duplicates block Run', async () => {
    const rows = 300;
    const t = await e2e().newPage();
    await t.page.addInitScript(() => {
      delete (window as unknown as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    });
    await t.page.goto(e2e().url);
    await dropFiles(t.page, [
      { name: 'features.npy', bytes: encodeNpy('<f4', [rows, 3], Float32Array.from({ length: rows * 3 }, (_, i) => (i * 7919) % 101)) },
      { name: 'labels.npy', bytes: encodeNpy('<f4', [rows], Float32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 1 : 0))) },
    ]);
    await expect.poll(() => t.page.getByTestId('selected-labels').textContent()).toContain('labels.npy');
    await t.page.getByRole('tab', { name: 'Prepare' }).click();
    await t.page.getByText('Feature metadata').click();
    await t.page.getByLabel('Paste feature names, one per line').fill('magnetic\nmagnetic\nslope');
    await t.page.getByRole('button', { name: 'Apply names' }).click();
    expect(await t.page.getByTestId('run-prepare').isDisabled()).toBe(true);
    await expect.poll(() => t.page.locator('.run-bar').textContent()).toContain("both named 'magnetic'");
    await t.page.getByLabel('Name of feature 1').fill('gravity');
    await t.page.getByLabel('Unit of feature 0').fill('nT');
    await t.page.getByLabel('Type of feature 2').fill('topographic');
    await t.page.getByLabel('Data source').fill('Survey X');
    await t.page.getByTestId('run-prepare').click();
    await t.page.getByTestId('prepare-results').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([t.page.waitForEvent('download'), t.page.getByTestId('export-zip').click()]);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    const metadata = JSON.parse(new TextDecoder().decode(files['data/features_metadata.json']));
    expect(metadata.feature_names).toEqual(['magnetic', 'gravity', 'slope']);
    expect(metadata.units).toEqual({ magnetic: 'nT' });
    expect(metadata.feature_types).toEqual({ topographic: [2] });
    expect(metadata.data_source).toBe('Survey X');
    // The split-health table names the features too.
    expect(await t.page.getByTestId('drift-table').textContent()).toContain('gravity');
    expect(t.consoleErrors).toEqual([]);
  }, 120_000);
});
