import { describe, expect, it } from 'vitest';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { WebCryptoSha256 } from './web-crypto-sha256';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('WebCryptoSha256 (the SDK signer hash in the page and worker)', () => {
  it('hashes pieces past 8 MiB like a one-shot SHA-256', async () => {
    const data = randomBytes(9 * 1024 * 1024 + 3);
    const h = new WebCryptoSha256();
    h.update(data.subarray(0, 5));
    h.update(data.subarray(5, 8 * 1024 * 1024 + 1));
    h.update(data.subarray(8 * 1024 * 1024 + 1));
    expect(hex(await h.digest())).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('is an HMAC with a string or byte secret, and hashes the empty input', async () => {
    const s = new WebCryptoSha256('AWS4secret');
    s.update(new TextEncoder().encode('20261204'));
    expect(hex(await s.digest())).toBe(createHmac('sha256', 'AWS4secret').update('20261204').digest('hex'));
    const key = randomBytes(32);
    const b = new WebCryptoSha256(key);
    b.update(new Uint8Array([1, 2, 3]));
    expect(hex(await b.digest())).toBe(createHmac('sha256', key).update(Buffer.from([1, 2, 3])).digest('hex'));
    expect(hex(await new WebCryptoSha256().digest())).toBe(createHash('sha256').digest('hex'));
  });

  it('copies what it is given (a reused buffer does not change the digest) and resets', async () => {
    const buf = new Uint8Array([1, 2, 3]);
    const h = new WebCryptoSha256();
    h.update(buf);
    buf.fill(9);
    expect(hex(await h.digest())).toBe(createHash('sha256').update(Buffer.from([1, 2, 3])).digest('hex'));
    h.reset();
    h.update(buf);
    expect(hex(await h.digest())).toBe(createHash('sha256').update(Buffer.from([9, 9, 9])).digest('hex'));
  });
});
