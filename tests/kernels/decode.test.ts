/**
 * Decoding .npy bytes to float64 (assembly/decode.ts) through the streaming reader (RowStream): every
 * dtype x byte order x C/Fortran order, with windows small enough to split the array, against the
 * values numpy's astype(float64) gives (computed here in plain TypeScript).
 */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/core/source';
import { readArrayInfo } from '../../src/core/npy';
import { instantiateKernels } from '../../src/engine/wasm';
import { readAllF64, RowStream } from '../../src/engine/stream';
import { npyBytes, rng, type TestDtype } from './npy-bytes';

const ROWS = 37;
const COLS = 5;

/** Values each dtype can hold exactly, including the edges of its range. */
function valuesFor(dtype: TestDtype): number[] {
  const next = rng(dtype.charCodeAt(0) * 31 + Number(dtype.slice(1)));
  const pick = (arr: number[]) => Array.from({ length: ROWS * COLS }, (_, i) => (i < arr.length ? arr[i]! : arr[Math.floor(next() * arr.length)]!));
  switch (dtype) {
    case 'b1': return pick([0, 1]);
    case 'i1': return pick([-128, 127, 0, -1, 5]);
    case 'u1': return pick([0, 255, 7]);
    case 'i2': return pick([-32768, 32767, 0, -300]);
    case 'u2': return pick([0, 65535, 1234]);
    case 'i4': return pick([-(2 ** 31), 2 ** 31 - 1, 0, -7]);
    case 'u4': return pick([0, 2 ** 32 - 1, 99]);
    case 'i8': return pick([-(2 ** 53), 2 ** 53, 0, -1, 123456789012]);
    case 'u8': return pick([0, 2 ** 53, 2 ** 60, 42]);
    case 'f2': return pick([0, -0, 1, -2.5, 65504, -65504, 2 ** -24, 2 ** -14, NaN, Infinity, -Infinity, 0.333251953125]);
    case 'f4': return pick([0, -0, 1.5, -3.25, 3.4028234663852886e38, 1.401298464324817e-45, NaN, Infinity, -Infinity]);
    case 'f8': return pick([0, -0, Math.PI, -1e308, 5e-324, NaN, Infinity, -Infinity]);
  }
}

const DTYPES: TestDtype[] = ['b1', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'f2', 'f4', 'f8'];
const CASES = DTYPES.flatMap((dtype) =>
  [false, true].flatMap((bigEndian) => [false, true].map((fortran) => ({ dtype, bigEndian, fortran }))),
).filter((c) => !(c.bigEndian && c.dtype.endsWith('1')));

describe.each(['simd', 'scalar'] as const)('decode_to_f64 (%s build)', (flavour) => {
  it.each(CASES)('$dtype big-endian=$bigEndian fortran=$fortran', async ({ dtype, bigEndian, fortran }) => {
    const values = valuesFor(dtype);
    const src = bytesSource(npyBytes(values, ROWS, COLS, { dtype, bigEndian, fortran }), `${dtype}.npy`);
    const info = await readArrayInfo(src);
    const kernels = await instantiateKernels(flavour);
    // 7 rows per window at most: several windows, and a short last one.
    const stream = new RowStream(src, info, kernels, { windowBytes: 7 * COLS * info.itemSize });
    const got = new Float64Array(ROWS * COLS);
    const starts: number[] = [];
    await stream.pass((r0, n, ptr) => {
      starts.push(r0);
      got.set(kernels.f64(ptr, n * COLS), r0 * COLS);
    });
    expect(starts.length).toBeGreaterThan(1);
    const want = values.map((v) => (dtype === 'b1' ? (v ? 1 : 0) : v));
    expect(Array.from(got)).toEqual(want);
  });

  it('rounds int64 beyond 2^53 to nearest even, like numpy', async () => {
    const bytes = npyBytes([0], 1, 1, { dtype: 'i8' });
    const view = new DataView(bytes.buffer, bytes.length - 8);
    view.setBigInt64(0, 2n ** 53n + 1n, true); // halfway: ties to even -> 2^53
    const src = bytesSource(bytes, 'big.npy');
    const kernels = await instantiateKernels(flavour);
    expect(Array.from(await readAllF64(src, await readArrayInfo(src), kernels))).toEqual([2 ** 53]);
    view.setBigInt64(0, 2n ** 53n + 3n, true); // halfway: ties to even -> 2^53 + 4
    expect(Array.from(await readAllF64(src, await readArrayInfo(src), kernels))).toEqual([2 ** 53 + 4]);
  });
});

describe('RowStream', () => {
  it('rejects with an AbortError between windows', async () => {
    const values = valuesFor('f8');
    const src = bytesSource(npyBytes(values, ROWS, COLS), 'x.npy');
    const ac = new AbortController();
    const stream = new RowStream(src, await readArrayInfo(src), await instantiateKernels(), { windowBytes: 64, signal: ac.signal });
    let blocks = 0;
    const run = stream.pass(() => {
      if (++blocks === 2) ac.abort();
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(blocks).toBe(2);
  });
});
