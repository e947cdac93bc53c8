// SHA-256 on a second thread (Node only; see node-hasher.ts). Plain JavaScript so that a worker_threads
// Worker runs it without the TypeScript loader. Messages, handled in order:
//   { id, op: 'update', bytes: ArrayBuffer, length }  hash bytes[0, length); the buffer is sent back
//   { id, op: 'file', path }                         hash a whole file read from disk
//   { id, op: 'digest' }                             reply { op: 'digest', id, hex } (or { op: 'error' })
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

parentPort.on('message', (m) => {
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
