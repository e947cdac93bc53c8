// SHA-256 on a second thread (Node only; see node-hasher.ts). Plain JavaScript so that a worker_threads
// Worker runs it without the TypeScript loader. Messages, handled in order:
//   { id, op: 'update', bytes: ArrayBuffer, length }  hash bytes[0, length); the buffer is sent back
//   { id, op: 'file', path, rows? }                  hash a whole file read from disk; with `rows` (a float32
//                                                    .npy), also its row hashes: reply { op: 'rows', id, hashes }
//   { id, op: 'digest' }                             reply { op: 'digest', id, hex } (or { op: 'error' })
//   { op: 'ping' }                                   reply { op: 'pong' } (the thread is up)
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

// Small reads: the file streams through the shared L3 cache once instead of 8 MB at a time, so the
// main thread's working set (the split's shuffles) is evicted less.
const READ_BYTES = 1024 * 1024;
const hashes = new Map();
const failures = new Map();
let readBuffer = null;

function hashOf(id) {
  let h = hashes.get(id);
  if (!h) {
    h = createHash('sha256');
    hashes.set(id, h);
  }
  return h;
}

function hashFile(h, path) {
  readBuffer ??= Buffer.allocUnsafe(READ_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const got = readSync(fd, readBuffer, 0, READ_BYTES, null);
      if (got === 0) break;
      h.update(readBuffer.subarray(0, got));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * hashFile that also hashes every row of a little-endian float32 C-order .npy file with the kernels'
 * tf_row_hashes_raw (the same 64-bit row hashes the fit would compute), reading the file once into the
 * kernel's memory. `rows`: { module, headerBytes, rowBytes, n }. Returns the n hashes (ArrayBuffer).
 */
function hashFileAndRows(h, path, rows) {
  const e = new WebAssembly.Instance(rows.module, {}).exports;
  const alloc = (bytes) => {
    const ptr = e.alloc(bytes) >>> 0;
    if (ptr === 0 && bytes > 0) throw new RangeError(`WebAssembly memory could not grow by ${Math.round(bytes / 2 ** 20)} MiB.`);
    return ptr;
  };
  const { headerBytes, rowBytes, n } = rows;
  // Hashes of one read's rows in kernel memory, then copied to `out` (sent without a copy): the
  // instance stays ~1 MiB whatever the file.
  const out = new BigUint64Array(n);
  const stageRows = Math.floor(READ_BYTES / rowBytes) + 1;
  const hashesPtr = alloc(stageRows * 8);
  const stage = alloc(READ_BYTES + rowBytes);
  const fd = openSync(path, 'r');
  let row = 0;
  try {
    const header = Buffer.alloc(headerBytes);
    for (let got = 0; got < headerBytes; ) {
      const k = readSync(fd, header, got, headerBytes - got, null);
      if (k === 0) throw new Error(`${path} ends inside its header`);
      got += k;
    }
    h.update(header);
    let carry = 0; // bytes of an unfinished row at the start of the staging area
    for (;;) {
      const view = new Uint8Array(e.memory.buffer, stage + carry, READ_BYTES);
      const got = readSync(fd, view, 0, READ_BYTES, null);
      if (got === 0) break;
      h.update(view.subarray(0, got));
      const avail = carry + got;
      const full = Math.floor(avail / rowBytes);
      const take = Math.min(full, n - row);
      if (take > 0) {
        e.tf_row_hashes_raw(stage, take, rowBytes, 0, hashesPtr);
        out.set(new BigUint64Array(e.memory.buffer, hashesPtr, take), row);
      }
      row += take;
      carry = avail - full * rowBytes;
      if (carry > 0) new Uint8Array(e.memory.buffer).copyWithin(stage, stage + full * rowBytes, stage + avail);
    }
  } finally {
    closeSync(fd);
  }
  if (row !== n) throw new Error(`${path}: ${row} rows read of ${n}`);
  return out.buffer;
}

parentPort.on('message', (m) => {
  if (m.op === 'ping') {
    parentPort.postMessage({ op: 'pong' });
    return;
  }
  if (m.op === 'file' && m.rows && !failures.has(m.id)) {
    // The row hashes go back at once (or their failure); the digest as asked.
    try {
      const buffer = hashFileAndRows(hashOf(m.id), m.path, m.rows);
      parentPort.postMessage({ op: 'rows', id: m.id, hashes: buffer }, [buffer]);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      failures.set(m.id, message);
      parentPort.postMessage({ op: 'rows', id: m.id, error: message });
    }
    return;
  }
  try {
    if (m.op === 'digest') {
      const failure = failures.get(m.id);
      if (failure) parentPort.postMessage({ op: 'error', id: m.id, message: failure });
      else parentPort.postMessage({ op: 'digest', id: m.id, hex: hashOf(m.id).digest('hex') });
      hashes.delete(m.id);
      failures.delete(m.id);
    } else if (!failures.has(m.id)) {
      if (m.op === 'update') hashOf(m.id).update(new Uint8Array(m.bytes, 0, m.length));
      else if (m.op === 'file') hashFile(hashOf(m.id), m.path);
    }
  } catch (e) {
    failures.set(m.id, e instanceof Error ? e.message : String(e));
  } finally {
    // The pooled buffer always goes back, whatever happened to its bytes.
    if (m.op === 'update') parentPort.postMessage({ op: 'returned', bytes: m.bytes }, [m.bytes]);
  }
});
