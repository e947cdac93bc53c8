/**
 * s3rver does not verify SigV4 signatures (only the access key id), so a signing bug would pass every
 * other test. This pins what is signed: an independent SigV4 implementation (node:crypto, straight from
 * the spec) against AWS's documented PutObject example, against @smithy/signature-v4 (the SDK's signer),
 * and against the request our S3 client really sends for a PutObject.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { keysConnection } from '../../src/s3/credentials';
import { makeS3Client } from '../../src/s3/client';

const hex = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** A node:crypto hash with the interface @smithy/signature-v4 expects (what @smithy/hash-node does). */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const asBytes = (d: SourceData) => (typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d));
class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret ? createHmac('sha256', asBytes(secret)) : createHash('sha256');
  }
  update(data: SourceData) {
    this.h.update(asBytes(data));
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

interface Req {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  payloadHash: string;
}

/** SigV4 from the spec: canonical request → string to sign → signature (S3: no double URI-encoding). */
function referenceSign(req: Req, signedHeaders: string[], akid: string, secret: string, amzDate: string, region: string) {
  const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')]));
  const query = Object.entries(req.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .sort()
    .join('&');
  const names = [...signedHeaders].sort();
  const canonicalRequest = [req.method, req.path, query, ...names.map((n) => `${n}:${lower[n]}`), '', names.join(';'), req.payloadHash].join('\n');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  return { canonicalRequest, stringToSign, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
}

// AWS documentation, "Signature Calculations for the Authorization Header", Example: PUT Object.
const DOC = {
  akid: 'AKIAIOSFODNN7EXAMPLE',
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  body: 'Welcome to Amazon S3.',
  signature: '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
};

describe('SigV4: what is signed', () => {
  it('the reference implementation reproduces AWS\'s documented PutObject signature', () => {
    const payloadHash = hex(DOC.body);
    expect(payloadHash).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const headers = {
      Host: 'examplebucket.s3.amazonaws.com',
      Date: 'Fri, 24 May 2013 00:00:00 GMT',
      'x-amz-date': '20130524T000000Z',
      'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': payloadHash,
    };
    const r = referenceSign(
      { method: 'PUT', path: '/test%24file.text', headers, payloadHash },
      ['date', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-storage-class'],
      DOC.akid,
      DOC.secret,
      '20130524T000000Z',
      'us-east-1',
    );
    expect(r.signature).toBe(DOC.signature);
  });

  it('@smithy/signature-v4 (the SDK signer) signs the documented request identically', async () => {
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: { accessKeyId: DOC.akid, secretAccessKey: DOC.secret },
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: true,
    });
    const signed = await signer.sign(
      {
        method: 'PUT',
        protocol: 'https:',
        hostname: 'examplebucket.s3.amazonaws.com',
        path: '/test%24file.text',
        query: {},
        headers: {
          host: 'examplebucket.s3.amazonaws.com',
          date: 'Fri, 24 May 2013 00:00:00 GMT',
          'x-amz-storage-class': 'REDUCED_REDUNDANCY',
          'x-amz-content-sha256': hex(DOC.body),
        },
        body: DOC.body,
      },
      { signingDate: new Date('2013-05-24T00:00:00Z') },
    );
    // The SDK never signs `Date` (x-amz-date carries the time); everything else is as in the example.
    const expected = referenceSign(
      {
        method: 'PUT',
        path: '/test%24file.text',
        headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': hex(DOC.body) },
        payloadHash: hex(DOC.body),
      },
      ['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-storage-class'],
      DOC.akid,
      DOC.secret,
      '20130524T000000Z',
      'us-east-1',
    );
    expect(signed.headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=${DOC.akid}/20130524/us-east-1/s3/aws4_request, ` +
        `SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=${expected.signature}`,
    );
  });
});

describe('SigV4: the PutObject our client sends', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2024-01-02T03:04:05Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function capturePut(endpoint: string | undefined) {
    const sent: { method: string; hostname: string; port?: number; path: string; query: Record<string, string>; headers: Record<string, string>; body: unknown }[] = [];
    const conn = keysConnection(
      { region: 'eu-west-1', bucket: 'workbench', ...(endpoint ? { endpoint } : {}) },
      { accessKeyId: 'AKIDTESTFIXED', secretAccessKey: 'secretFixedForTest', sessionToken: 'token-1' },
    );
    const client = makeS3Client(conn, {
      requestHandler: {
        async handle(request: (typeof sent)[number]) {
          sent.push(request);
          return { response: { statusCode: 200, headers: { etag: '"x"' }, body: undefined } };
        },
      } as never,
    });
    await client.send(new PutObjectCommand({ Bucket: 'workbench', Key: 'team/data/training/labels.npy', Body: 'hello npy', ContentType: 'application/octet-stream', Metadata: { sha256: 'abc123' } }));
    return sent[0]!;
  }

  it('signs path, payload hash, metadata, content type, session token and date — verified independently', async () => {
    const req = await capturePut('http://127.0.0.1:4568');
    const auth = req.headers.authorization!;
    const m = auth.match(/^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/)!;
    expect(m).not.toBeNull();
    expect(m[1]).toBe('AKIDTESTFIXED/20240102/eu-west-1/s3/aws4_request');
    const signedHeaders = m[2]!.split(';');
    for (const h of ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-meta-sha256', 'x-amz-security-token']) {
      expect(signedHeaders, h).toContain(h);
    }
    expect(req.path).toBe('/workbench/team/data/training/labels.npy'); // path style for a non-AWS endpoint
    expect(req.headers['x-amz-date']).toBe('20240102T030405Z');
    expect(req.headers['x-amz-content-sha256']).toBe(hex('hello npy')); // a signed payload, not UNSIGNED-PAYLOAD
    // WHEN_REQUIRED against non-AWS endpoints: no CRC32 trailer / aws-chunked body (NOTES: s3rver stored the framing).
    expect(Object.keys(req.headers).filter((h) => h.startsWith('x-amz-checksum') || h === 'x-amz-trailer')).toEqual([]);
    const host = req.headers.host ?? `${req.hostname}${req.port ? `:${req.port}` : ''}`;
    const ref = referenceSign(
      { method: req.method, path: req.path, query: req.query, headers: { ...req.headers, host }, payloadHash: req.headers['x-amz-content-sha256']! },
      signedHeaders,
      'AKIDTESTFIXED',
      'secretFixedForTest',
      '20240102T030405Z',
      'eu-west-1',
    );
    expect(ref.canonicalRequest.split('\n').slice(0, 3)).toEqual(['PUT', '/workbench/team/data/training/labels.npy', 'x-id=PutObject']);
    expect(m[3]).toBe(ref.signature);
  });

  it('on AWS the SDK default checksum (CRC32) stays on and is signed', async () => {
    const req = await capturePut(undefined);
    expect(req.hostname).toBe('workbench.s3.eu-west-1.amazonaws.com');
    expect(req.headers['x-amz-checksum-crc32']).toBeDefined();
    expect(req.headers.authorization).toContain('x-amz-checksum-crc32');
  });
});
