/**
 * Files screen end to end: a `.npz` lists its arrays and features/labels are picked from it (by name,
 * then reassigned with the select); a dropped features_metadata.json gives the report its names and units.
 */
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { encodeNpy } from '../../src/core/npy-write';
import { chromiumAvailable, dropFiles, useE2E } from './harness';
import { makeRandom } from './reference';

const haveChromium = chromiumAvailable();

describe.skipIf(!haveChromium)('page e2e: files', () => {
  const e2e = useE2E();

  it('an .npz lists its arrays, X/y are picked by name and can be reassigned; metadata names reach the report', async () => {
    const rows = 400;
    const cols = 3;
    const rnd = makeRandom(11);
    const x = Float32Array.from({ length: rows * cols }, () => rnd() * 10);
    const y = Float32Array.from({ length: rows }, () => (rnd() < 0.3 ? 1 : 0));
    const other = Float32Array.from({ length: rows }, (_, i) => i);
    // numpy's np.savez writes stored entries named `<key>.npy`.
    const npz = zipSync(
      { 'X.npy': encodeNpy('<f4', [rows, cols], x), 'y.npy': encodeNpy('<f4', [rows], y), 'row_ids.npy': encodeNpy('<f4', [rows], other) },
      { level: 0 },
    );
    const metadata = {
      n_features: 3,
      feature_names: ['magnetic_intensity', 'gravity_anomaly', 'elevation'],
      units: { magnetic_intensity: 'nT', gravity_anomaly: 'mGal', elevation: 'm' },
      feature_types: { geophysical: [0, 1], topographic: [2] },
    };
    const t = await e2e().newPage();
    await t.page.goto(e2e().url);
    await dropFiles(t.page, [
      { name: 'dataset.npz', bytes: npz },
      { name: 'features_metadata.json', bytes: new TextEncoder().encode(JSON.stringify(metadata)), mimeType: 'application/json' },
    ]);
    const card = t.page.locator('[data-testid=file-card][data-file="dataset.npz"]');
    await expect.poll(() => card.locator('table.npz-arrays tbody tr').count()).toBe(3);
    await expect.poll(() => t.page.getByTestId('selected-features').textContent()).toContain('dataset.npz:X');
    expect(await t.page.getByTestId('selected-labels').textContent()).toContain('dataset.npz:y');
    expect(await t.page.getByTestId('role-features_metadata.json').inputValue()).toBe('metadata');

    // Reassign: row_ids becomes the labels, y is no longer used.
    const rowIdsSelect = card.locator('select[data-testid$=":row_ids.npy"], select[data-testid$=":row_ids"]');
    await rowIdsSelect.selectOption('labels');
    await expect.poll(() => t.page.getByTestId('selected-labels').textContent()).toContain('row_ids');
    const ySelect = card.locator('select[data-testid$=":y.npy"], select[data-testid$=":y"]');
    expect(await ySelect.inputValue()).toBe('unused');
    // …and back.
    await ySelect.selectOption('labels');
    await expect.poll(() => t.page.getByTestId('selected-labels').textContent()).toContain('dataset.npz:y');

    await t.page.getByRole('tab', { name: 'Report' }).click();
    await t.page.getByTestId('report').waitFor({ timeout: 60_000 });
    expect(await t.page.locator('[data-testid=card-rows] .card-value').textContent()).toBe('400');
    const names = await t.page.locator('[data-testid=feature-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-feature')));
    expect(names).toEqual(metadata.feature_names);
    expect(await t.page.locator('[data-testid=feature-table] tr[data-index="0"] th').textContent()).toContain('nT');
    expect(t.consoleErrors).toEqual([]);
  });
});
