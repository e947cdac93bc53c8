/**
 * A loopback stand-in for the two Cognito identity-pool actions the browser SDK calls
 * (`GetId`, `GetCredentialsForIdentity`), so the real `fromCognitoIdentityPool` code path runs offline.
 * It hands out the one key pair the local S3 server accepts, as one-hour session credentials.
 * Node only. No npm package emulates identity pools (cognito-local covers user pools only).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** Lifetime of the credentials handed out (real identity-pool credentials also last about an hour). */
export const LOOPBACK_CREDENTIAL_SECONDS = 3600;

export interface CognitoLoopbackOptions {
  host?: string;
  port?: number;
  /** The only pool id accepted, `region:uuid` like a real one. */
  identityPoolId: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Overrides the credential lifetime (tests of expiry). */
  credentialSeconds?: number;
}

export interface CognitoLoopback {
  endpoint: string;
  /** Requests served, by action name (tests assert the Cognito path really ran). */
  calls: Record<string, number>;
  stop(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/x-amz-json-1.1');
  if (errorType) res.setHeader('x-amzn-errortype', errorType);
  res.end(JSON.stringify(body));
}

function allowCors(req: IncomingMessage, res: ServerResponse): void {
  // Loopback only and the credentials are the well-known local ones: any page origin may call it.
  res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype, x-amzn-errormessage, date');
  res.setHeader('access-control-max-age', '600');
  res.setHeader('vary', 'origin');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the loopback Cognito identity endpoint; resolves once it listens. */
export async function startCognitoLoopback(opts: CognitoLoopbackOptions): Promise<CognitoLoopback> {
  const host = opts.host ?? '127.0.0.1';
  const region = opts.identityPoolId.split(':')[0]!;
  const identities = new Set<string>();
  const calls: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    allowCors(req, res);
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, { message: 'Only POST is supported.' }, 'InvalidRequestException');
      return;
    }
    void readBody(req).then((text) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.replace(/^AWSCognitoIdentityService\./, '');
      calls[action] = (calls[action] ?? 0) + 1;
      let input: Record<string, unknown>;
      try {
        input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        send(res, 400, { message: 'The request body is not JSON.' }, 'InvalidParameterException');
        return;
      }
      if (action === 'GetId') {
        if (input.IdentityPoolId !== opts.identityPoolId) {
          send(res, 400, { message: `IdentityPool '${String(input.IdentityPoolId)}' not found.` }, 'ResourceNotFoundException');
          return;
        }
        const id = `${region}:${randomUUID()}`;
        identities.add(id);
        send(res, 200, { IdentityId: id });
      } else if (action === 'GetCredentialsForIdentity') {
        const id = String(input.IdentityId ?? '');
        // An id cached by a browser from an earlier run of the server is accepted if it has our region.
        if (!identities.has(id) && !id.startsWith(`${region}:`)) {
          send(res, 400, { message: `Identity '${id}' not found.` }, 'ResourceNotFoundException');
          return;
        }
        const seconds = opts.credentialSeconds ?? LOOPBACK_CREDENTIAL_SECONDS;
        send(res, 200, {
          IdentityId: id,
          Credentials: {
            AccessKeyId: opts.accessKeyId,
            SecretKey: opts.secretAccessKey,
            SessionToken: `loopback-${randomUUID()}`,
            Expiration: Math.floor(Date.now() / 1000) + seconds,
          },
        });
      } else {
        send(res, 400, { message: `Unsupported action '${target}'.` }, 'InvalidParameterException');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${port}`,
    calls,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
