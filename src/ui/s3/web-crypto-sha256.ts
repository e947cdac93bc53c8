/**
 * SHA-256 and HMAC-SHA-256 for the AWS SDK's request signer in the page and the upload worker, on
 * WebCrypto. Why not the SDK's browser default: it buffers on WebCrypto only up to 8 MiB and then
 * switches to a pure-JavaScript hash, and a SigV4 signature over http (the local server) hashes every
 * upload part — 8 MiB parts made a 40 MiB upload take 12 s instead of 1 s in Chromium.
 */
import type { Checksum, SourceData } from '@aws-sdk/types';

function bytesOf(data: SourceData): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** The SDK's `sha256` constructor (`new WebCryptoSha256(secret?)` = HMAC when a secret is given). */
export class WebCryptoSha256 implements Checksum {
  readonly digestLength = 32;
  private pending: Uint8Array[] = [];
  private readonly secret?: Uint8Array;

  constructor(secret?: SourceData) {
    if (secret !== undefined) this.secret = bytesOf(secret).slice();
  }

  update(data: Uint8Array): void {
    // A copy: callers may reuse their buffer before digest().
    this.pending.push(data.slice());
  }

  async digest(): Promise<Uint8Array> {
    const total = this.pending.reduce((a, b) => a + b.byteLength, 0);
    const data = new Uint8Array(total);
    let offset = 0;
    for (const chunk of this.pending) {
      data.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const subtle = globalThis.crypto.subtle;
    if (this.secret) {
      const key = await subtle.importKey('raw', this.secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      return new Uint8Array(await subtle.sign('HMAC', key, data));
    }
    return new Uint8Array(await subtle.digest('SHA-256', data));
  }

  reset(): void {
    this.pending = [];
  }
}

/** True where the SDK runs its browser build (page or worker) and WebCrypto is there. */
export function useWebCryptoSha256(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown; crypto?: Crypto };
  return (g.document !== undefined || g.WorkerGlobalScope !== undefined) && typeof g.crypto?.subtle?.digest === 'function';
}
