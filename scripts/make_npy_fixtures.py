#!/usr/bin/python3
"""Writes the small .npy/.npz fixtures of tests/fixtures/npy/ and their manifest.json.

Run with Debian's Python (numpy 1.24):  /usr/bin/python3 scripts/make_npy_fixtures.py

Every supported dtype x byte order x C/Fortran order x format version 1.0/2.0/3.0, written by numpy's own
np.lib.format.write_array, plus 1-D, (n, 1) and 0-row arrays; '=' headers and '<'/'>' on 1-byte types
(numpy normalises both away when saving, so those go through numpy's header writer with the descr given);
two .npz archives (np.savez = stored, np.savez_compressed = deflated); np.save's exact output for the
writer test.

manifest.json lists, per file: descr, shape, fortran_order, version, and the values in logical C order as
float64 (NaN/inf as strings "nan", "inf", "-inf"); integer dtypes also give "exact" decimal strings
because int64/uint64 extremes do not survive float64.
"""
import json
import math
import os
import shutil
import zipfile

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'npy')

# (kind, item sizes) numpy calls bool, int8-64, uint8-64, float16-64.
DTYPES = [('b', 1), ('i', 1), ('i', 2), ('i', 4), ('i', 8), ('u', 1), ('u', 2), ('u', 4), ('u', 8),
          ('f', 2), ('f', 4), ('f', 8)]


def sample_3x2(kind, size):
    """A (3, 2) array with each kind's awkward values: extremes, NaN, +-inf, -0.0, subnormals."""
    if kind == 'b':
        return np.array([[True, False], [False, True], [True, True]], dtype='?')
    if kind == 'i':
        info = np.iinfo('i%d' % size)
        return np.array([[info.min, info.max], [0, -1], [5, -7]], dtype='i%d' % size)
    if kind == 'u':
        info = np.iinfo('u%d' % size)
        return np.array([[0, info.max], [1, 2], [3, info.max - 1]], dtype='u%d' % size)
    finfo = np.finfo('f%d' % size)
    return np.array([[np.nan, np.inf], [-np.inf, -0.0], [finfo.max, finfo.smallest_subnormal]],
                    dtype='f%d' % size)


def float_json(x):
    x = float(x)
    if math.isnan(x):
        return 'nan'
    if math.isinf(x):
        return 'inf' if x > 0 else '-inf'
    return x


def manifest_entry(name, a, version, descr, fortran_order):
    entry = {
        'file': name,
        'descr': descr,
        'shape': list(a.shape),
        'fortran_order': fortran_order,
        'version': version,
        'values': [float_json(v) for v in a.astype(np.float64).ravel(order='C')],
    }
    if a.dtype.kind in 'iu':
        entry['exact'] = [str(int(v)) for v in a.ravel(order='C')]
    return entry


def write_with_numpy(path, a, version):
    with open(path, 'wb') as f:
        np.lib.format.write_array(f, a, version=version, allow_pickle=False)


def write_with_descr(path, a, descr, version, fortran):
    """Writes `a` (native little-endian data) under a header with a descr numpy would not write itself."""
    header = {'descr': descr, 'fortran_order': fortran, 'shape': a.shape}
    with open(path, 'wb') as f:
        np.lib.format._write_array_header(f, header, version)
        f.write(a.tobytes(order='F' if fortran else 'C'))


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    manifest = {'npy': [], 'npz': [], 'writer': []}

    for kind, size in DTYPES:
        base = sample_3x2(kind, size)
        orders = ['|'] if size == 1 else ['<', '>']
        for order in orders:
            typed = base.astype(base.dtype.newbyteorder(order if order != '|' else '='))
            for fortran in (False, True):
                a = np.asfortranarray(typed) if fortran else np.ascontiguousarray(typed)
                for major in (1, 2, 3):
                    descr = np.lib.format.dtype_to_descr(a.dtype)
                    tag = {'<': 'le', '>': 'be', '|': 'na'}[order]
                    name = '%s%d_%s_%s_v%d.npy' % (kind, size, tag, 'F' if fortran else 'C', major)
                    write_with_numpy(os.path.join(OUT, name), a, (major, 0))
                    manifest['npy'].append(manifest_entry(name, a, '%d.0' % major, descr, fortran))

    # '=' (native order), and '<'/'>' on 1-byte types: numpy normalises these to '<' and '|' when
    # saving, so numpy's header writer is given the descr directly (data in native little endian).
    for kind, size in DTYPES:
        a = sample_3x2(kind, size)
        for order in (['<', '>', '='] if size == 1 else ['=']):
            descr = '%s%s%d' % (order, kind, size)
            tag = {'<': 'le', '>': 'be', '=': 'native'}[order]
            for fortran in (False, True):
                for major in (1, 2, 3):
                    name = '%s%d_%s_%s_v%d.npy' % (kind, size, tag, 'F' if fortran else 'C', major)
                    write_with_descr(os.path.join(OUT, name), a, descr, (major, 0), fortran)
                    manifest['npy'].append(manifest_entry(name, a, '%d.0' % major, descr, fortran))

    # Label and edge shapes.
    extra = [
        ('labels_1d_f4.npy', np.array([0.0, 1.0, np.nan, 1.0, 0.0], dtype='<f4')),
        ('labels_1d_u2_be.npy', np.arange(7, dtype='>u2') * 1000),
        ('labels_col_i8.npy', np.array([[1], [0], [0], [1]], dtype='<i8')),
        ('labels_col_b1.npy', np.array([[True], [False], [True]], dtype='?')),
        ('empty_rows_f8.npy', np.zeros((0, 2), dtype='<f8')),
        ('empty_1d_b1.npy', np.zeros((0,), dtype='?')),
        ('wide_f4_F.npy', np.asfortranarray(np.arange(40, dtype='<f4').reshape(4, 10) / 8)),
    ]
    for name, a in extra:
        write_with_numpy(os.path.join(OUT, name), a, (1, 0))
        manifest['npy'].append(manifest_entry(name, a, '1.0', np.lib.format.dtype_to_descr(a.dtype),
                                              bool(a.flags.f_contiguous and not a.flags.c_contiguous)))

    # .npz archives: np.savez stores, np.savez_compressed deflates. 'long' is compressible and big
    # enough (800 KB inflated) to be read in many windows.
    features = (np.arange(15, dtype='<f4').reshape(5, 3) - 4) / 2
    features[1, 2] = np.nan
    labels = np.array([0, 1, 0, 0, 1], dtype='<i8')
    long = (np.arange(100_000, dtype='<f8') % 7) - 3
    for name, save, arrays in [
        ('stored.npz', np.savez, {'features': features, 'labels': labels}),
        ('deflated.npz', np.savez_compressed, {'features': features, 'labels': labels, 'long': long}),
    ]:
        save(os.path.join(OUT, name), **arrays)
        with zipfile.ZipFile(os.path.join(OUT, name)) as z:
            methods = sorted({i.compress_type for i in z.infolist()})
        entries = []
        for key, a in arrays.items():
            e = manifest_entry(key + '.npy', a, '1.0', np.lib.format.dtype_to_descr(a.dtype), False)
            del e['file']
            e['name'] = key + '.npy'
            if key == 'long':
                # 100,000 values: the test checks them by formula, not from the manifest.
                e['values'] = None
                e['formula'] = '(i % 7) - 3'
            entries.append(e)
        manifest['npz'].append({'file': name, 'compression': methods, 'entries': entries})

    # np.save's exact bytes for the writer test (header and data).
    writer_cases = [
        ('save_f4_3x2.npy', np.arange(6, dtype='<f4').reshape(3, 2)),
        ('save_f8_1d.npy', np.array([1.5, -2.0, 0.25], dtype='<f8')),
        ('save_i8_col.npy', np.array([[3], [1], [4], [1]], dtype='<i8')),
        ('save_b1_1d.npy', np.array([True, False, True], dtype='?')),
        ('save_u2_be.npy', np.array([[1, 2, 3]], dtype='>u2')),
        ('save_f4_F.npy', np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3))),
        ('save_f8_empty.npy', np.zeros((0, 5), dtype='<f8')),
        ('save_i2_big_shape.npy', np.zeros((12345678, 0), dtype='<i2')),
    ]
    for name, a in writer_cases:
        np.save(os.path.join(OUT, name), a)
        manifest['writer'].append({
            'file': name,
            'descr': np.lib.format.dtype_to_descr(a.dtype),
            'shape': list(a.shape),
            'fortran_order': bool(a.flags.f_contiguous and not a.flags.c_contiguous),
        })

    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
        f.write('\n')
    total = sum(os.path.getsize(os.path.join(OUT, n)) for n in os.listdir(OUT))
    print('wrote %d files, %d bytes, to %s' % (len(os.listdir(OUT)), total, os.path.normpath(OUT)))


if __name__ == '__main__':
    main()
