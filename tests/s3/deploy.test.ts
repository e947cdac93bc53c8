/** The shipped AWS set-up must say the same as the code: exposed headers, prefixes, actions. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { S3_EXPOSED_HEADERS } from '../../src/s3/config';
import { corsXml } from '../../src/server/local-services';

const read = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');

describe('deploy/', () => {
  it('cors.json, the CloudFormation CORS rule and the local server expose the same headers (ETag first)', () => {
    const cors = JSON.parse(read('deploy/cors.json')) as { CORSRules: { ExposeHeaders: string[]; AllowedMethods: string[] }[] };
    expect(cors.CORSRules[0]!.ExposeHeaders).toEqual(S3_EXPOSED_HEADERS);
    expect(S3_EXPOSED_HEADERS[0]).toBe('ETag');
    const cfn = read('deploy/cloudformation.yaml');
    const block = cfn.slice(cfn.indexOf('ExposedHeaders:'), cfn.indexOf('MaxAge:'));
    expect([...block.matchAll(/- (\S+)/g)].map((m) => m[1])).toEqual(S3_EXPOSED_HEADERS);
    expect(corsXml(['http://127.0.0.1:8080'])).toContain(S3_EXPOSED_HEADERS.map((h) => `<ExposeHeader>${h}</ExposeHeader>`).join(''));
  });

  it('the IAM policy writes only under PREFIX/data/ and reads/lists only data/ and experiments/', () => {
    const policy = JSON.parse(read('deploy/iam-policy.json')) as { Statement: { Action: string[]; Resource: string | string[]; Condition?: unknown }[] };
    const writes = policy.Statement.filter((s) => s.Action.some((a) => a === 's3:PutObject'));
    expect(writes.map((s) => s.Resource)).toEqual(['arn:aws:s3:::BUCKET/PREFIX/data/*']);
    const resources = policy.Statement.flatMap((s) => [s.Resource].flat());
    expect(resources.every((r) => r === 'arn:aws:s3:::BUCKET' || /^arn:aws:s3:::BUCKET\/PREFIX\/(data|experiments)\/\*$/.test(r))).toBe(true);
    expect(policy.Statement.some((s) => s.Action.includes('s3:DeleteObject'))).toBe(false);
    const list = policy.Statement.find((s) => s.Action.includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['PREFIX/data/*', 'PREFIX/experiments/*'] } });
  });
});
