/**
 * The S3 connection options shared by `prospect upload / check / ls` (Node only: reads `AWS_*`).
 *   --bucket B [--prefix P] [--region R] [--endpoint URL] [--identity-pool ID] [--cognito-endpoint URL]
 * With --identity-pool the Cognito path is used; otherwise the standard AWS_ACCESS_KEY_ID /
 * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN variables (never written anywhere).
 */
import { WorkbenchError } from '../core/errors';
import type { ParsedArgs } from '../cli/args';
import { validateDeploymentConfig, type DeploymentConfig } from '../s3/config';
import { connectionFor, type S3Connection } from '../s3/credentials';

/** Option names taking a value, for parseArgs. */
export const S3_VALUE_OPTIONS = ['bucket', 'prefix', 'region', 'endpoint', 'identity-pool', 'cognito-endpoint'];

/** Builds the deployment config and connection from parsed CLI options and the environment. */
export function connectionFromArgs(args: ParsedArgs, env: NodeJS.ProcessEnv = process.env): { config: DeploymentConfig; conn: S3Connection } {
  // The SDK warns on every run that its 2027 releases will need Node 22; the workbench supports Node 20
  // (package.json engines), so keep the CLI's stderr for real problems. Set before any client exists.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const bucket = args.values.get('bucket');
  if (!bucket) throw new WorkbenchError('BAD_SETTING', '--bucket is required');
  const pool = args.values.get('identity-pool');
  const region = args.values.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (pool ? pool.split(':')[0] : undefined) ?? 'us-east-1';
  const raw: Record<string, unknown> = { region, bucket };
  if (args.values.has('prefix')) raw.prefix = args.values.get('prefix');
  if (args.values.has('endpoint')) raw.endpoint = args.values.get('endpoint');
  if (pool) raw.identityPoolId = pool;
  if (args.values.has('cognito-endpoint')) raw.cognitoEndpoint = args.values.get('cognito-endpoint');
  const config = validateDeploymentConfig(raw, 'command line');
  if (pool) return { config, conn: connectionFor(config) };
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new WorkbenchError(
      'BAD_SETTING',
      'no credentials: pass --identity-pool ID, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys)',
    );
  }
  return { config, conn: connectionFor(config, { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN }) };
}
