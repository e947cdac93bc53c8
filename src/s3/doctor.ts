/**
 * The bucket doctor: is `s3://bucket/PREFIX/data/` ready for training?
 *
 * 1. Set-up: can we list the prefix (s3:ListBucket), are the credentials valid and unexpired, and — in a
 *    browser — does the bucket CORS rule expose ETag (needed by multipart uploads)?
 * 2. The seed's `check_s3_data_requirements` checklist: each of the seven `data/` components ✓/✗.
 * 3. Deep checks from ranged GETs of the `.npy` headers only (no data is downloaded): 2-D features and
 *    labels 1-D or (n, 1), equal row counts per split, the same n_features in every split and in
 *    features_metadata.json, and the metadata JSON against the seed schema (src/core/metadata.ts).
 * Ends in one verdict: ready, or the failed checks, each with the exact fix.
 */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { WorkbenchError, isAbortError, throwIfAborted } from '../core/errors';
import type { ArrayInfo } from '../core/npy';
import { inBrowser, s3Error } from './errors';
import { getObjectBytes, readRemoteArrayInfo } from './npy-remote';
import { checkMetadataAgainst, parseFeaturesMetadata } from '../core/metadata';
import { normalizePrefix } from './config';

/** One line of the doctor's report. */
export interface DoctorCheck {
  id: string;
  ok: boolean;
  message: string;
  /** What to do, for failed checks. */
  fix?: string;
}

export interface DoctorVerdict {
  ready: boolean;
  bucket: string;
  prefix: string;
  checks: DoctorCheck[];
}

export const SPLITS = ['training', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/** The seven components of the seed's check_s3_data_requirements, relative to PREFIX. */
export const REQUIRED_COMPONENTS = [
  'data/training/features.npy',
  'data/training/labels.npy',
  'data/validation/features.npy',
  'data/validation/labels.npy',
  'data/test/features.npy',
  'data/test/labels.npy',
  'data/features_metadata.json',
] as const;

export interface DoctorOptions {
  prefix?: string;
  signal?: AbortSignal;
  /** Run the browser-only CORS check (default: when running in a browser or worker). */
  browser?: boolean;
}

const shapeText = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** Runs every check and returns the verdict (S3 failures become failed checks, not exceptions). */
export async function runBucketDoctor(client: S3Client, bucket: string, opts: DoctorOptions = {}): Promise<DoctorVerdict> {
  const prefix = normalizePrefix(opts.prefix);
  const url = (rel: string) => `s3://${bucket}/${prefix}${rel}`;
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => checks.push(c);
  const verdict = (): DoctorVerdict => ({ ready: checks.every((c) => c.ok), bucket, prefix, checks });

  // --- set-up: listing (also proves the credentials and the bucket) ---
  const sizes = new Map<string, number>();
  let listed = false;
  try {
    let token: string | undefined;
    do {
      throwIfAborted(opts.signal, 'The bucket check');
      const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}data/`, ContinuationToken: token }), {
        abortSignal: opts.signal,
      });
      for (const o of res.Contents ?? []) if (o.Key) sizes.set(o.Key, o.Size ?? 0);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    listed = true;
    add({ id: 'setup:list', ok: true, message: `Listed ${url('data/')} (${sizes.size} objects).` });
  } catch (e) {
    if (isAbortError(e)) throw e;
    const err = s3Error(e, { bucket, key: `${prefix}data/`, action: 'list', browser: opts.browser ?? inBrowser }) as WorkbenchError;
    const fix = setupFix(err, bucket, prefix);
    add({ id: 'setup:list', ok: false, message: err.message, fix });
    // Without credentials or a bucket nothing else can work; a missing ListBucket still allows HEADs.
    if (err.code !== 'S3_ACCESS_DENIED' || !/ListBucket/.test(err.message)) return verdict();
  }

  // --- the seven components ---
  for (const rel of REQUIRED_COMPONENTS) {
    const key = prefix + rel;
    if (!listed) {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: opts.signal });
        sizes.set(key, h.ContentLength ?? 0);
      } catch (e) {
        if (isAbortError(e)) throw e;
        const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status !== 404) {
          const err = s3Error(e, { bucket, key, action: 'check' });
          add({ id: `exists:${rel}`, ok: false, message: err.message, fix: setupFix(err as WorkbenchError, bucket, prefix) });
          continue;
        }
      }
    }
    const present = sizes.has(key);
    add(
      present
        ? { id: `exists:${rel}`, ok: true, message: `✓ ${rel} (${sizes.get(key)} bytes)` }
        : {
            id: `exists:${rel}`,
            ok: false,
            message: `✗ ${rel} is missing from ${url('data/')}.`,
            fix: `Upload it to ${url(rel)} (e.g. \`prospect upload DIR --bucket ${bucket}${prefix ? ` --prefix ${prefix}` : ''}\` with DIR/${rel}).`,
          },
    );
  }

  // --- CORS exposes ETag (browser only: Node sees every header) ---
  if (opts.browser ?? inBrowser) {
    const any = [...sizes.keys()][0];
    if (any) {
      try {
        const h = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: any }), { abortSignal: opts.signal });
        add(
          h.ETag
            ? { id: 'setup:cors-etag', ok: true, message: 'The bucket CORS rule exposes ETag (multipart uploads can complete).' }
            : {
                id: 'setup:cors-etag',
                ok: false,
                message: `The bucket ${bucket} answers without a readable ETag header: multipart uploads from this page will fail with "missing ETag".`,
                fix: 'Add "ExposeHeaders": ["ETag", "x-amz-meta-sha256", …] to the bucket CORS rule — apply deploy/cors.json (aws s3api put-bucket-cors).',
              },
        );
      } catch (e) {
        if (isAbortError(e)) throw e;
        const err = s3Error(e, { bucket, key: any, action: 'check', browser: true });
        add({ id: 'setup:cors-etag', ok: false, message: err.message, fix: setupFix(err as WorkbenchError, bucket, prefix) });
      }
    }
  }

  // --- deep checks: .npy headers by ranged GETs ---
  const infos = new Map<string, ArrayInfo>();
  for (const split of SPLITS) {
    for (const part of ['features', 'labels'] as const) {
      const rel = `data/${split}/${part}.npy`;
      const key = prefix + rel;
      if (!sizes.has(key)) continue;
      try {
        const info = await readRemoteArrayInfo(client, bucket, key, sizes.get(key), opts.signal);
        infos.set(rel, info);
        const shapeOk = part === 'features' ? info.shape.length === 2 : info.shape.length === 1 || (info.shape.length === 2 && info.shape[1] === 1);
        add(
          shapeOk
            ? { id: `array:${rel}`, ok: true, message: `${rel}: ${info.dtype} ${shapeText(info.shape)}` }
            : {
                id: `array:${rel}`,
                ok: false,
                message:
                  part === 'features'
                    ? `${rel} has shape ${shapeText(info.shape)}; features must be 2-D (n_samples, n_features).`
                    : `${rel} has shape ${shapeText(info.shape)}; labels must be (n_samples,) or (n_samples, 1).`,
                fix: part === 'features' ? 'Save the features as a 2-D array (np.save of X with X.ndim == 2).' : 'Save the labels as a 1-D array (y.ravel()) and upload again.',
              },
        );
      } catch (e) {
        if (isAbortError(e)) throw e;
        const message = e instanceof Error ? e.message : String(e);
        add({ id: `array:${rel}`, ok: false, message: `${rel}: ${message}`, fix: `Re-save ${rel} with np.save (a plain numeric array) and upload it again.` });
      }
    }
    const f = infos.get(`data/${split}/features.npy`);
    const l = infos.get(`data/${split}/labels.npy`);
    if (f && l) {
      add(
        f.rows === l.rows
          ? { id: `rows:${split}`, ok: true, message: `${split}: features and labels both have ${f.rows} rows.` }
          : {
              id: `rows:${split}`,
              ok: false,
              message: `${split}: features.npy has ${f.rows} rows but labels.npy has ${l.rows}.`,
              fix: `Re-create the ${split} split so features and labels come from the same rows, and upload both again.`,
            },
      );
    }
  }

  const widths = SPLITS.map((s) => [s, infos.get(`data/${s}/features.npy`)] as const).filter(
    (x): x is readonly [SplitName, ArrayInfo] => !!x[1] && x[1].shape.length === 2,
  );
  if (widths.length > 1) {
    const distinct = new Set(widths.map(([, i]) => i.cols));
    add(
      distinct.size === 1
        ? { id: 'features:width', ok: true, message: `Every split has ${widths[0]![1].cols} features.` }
        : {
            id: 'features:width',
            ok: false,
            message: `The splits have different numbers of features: ${widths.map(([s, i]) => `${s} ${i.cols}`).join(', ')}.`,
            fix: 'Prepare all splits from the same feature table (same columns in the same order) and upload them again.',
          },
    );
  }

  // --- features_metadata.json: the seed schema, then against the arrays ---
  const metaRel = 'data/features_metadata.json';
  const metaKey = prefix + metaRel;
  if (sizes.has(metaKey)) {
    try {
      const text = new TextDecoder().decode(await getObjectBytes(client, bucket, metaKey, opts.signal));
      const meta = parseFeaturesMetadata(text, metaRel);
      if (meta.n_features === undefined) {
        add({
          id: 'metadata:schema',
          ok: false,
          message: `${metaRel} has no "n_features": the training framework reads the input width from it.`,
          fix: 'Add "n_features": <number of feature columns> (see S3_DATA_REQUIREMENTS.md, "Features Metadata") and upload it again.',
        });
      } else {
        add({ id: 'metadata:schema', ok: true, message: `${metaRel} matches the seed schema (n_features = ${meta.n_features}).` });
      }
      const byWidth = new Map<number, SplitName[]>();
      for (const [split, info] of widths) byWidth.set(info.cols, [...(byWidth.get(info.cols) ?? []), split]);
      const problems = [...byWidth].flatMap(([cols, splits]) =>
        checkMetadataAgainst(meta, cols).map((p) => `${p.message.replace(/\.$/, '')} (${splits.join(', ')})`),
      );
      if (widths.length > 0) {
        add(
          problems.length === 0
            ? { id: 'metadata:arrays', ok: true, message: `${metaRel} agrees with the arrays (${widths[0]![1].cols} features).` }
            : {
                id: 'metadata:arrays',
                ok: false,
                message: `${metaRel} disagrees with the arrays: ${problems.join('; ')}.`,
                fix: 'Make n_features, feature_names and feature_types describe the uploaded feature columns (or re-export the arrays), and upload again.',
              },
        );
      }
    } catch (e) {
      if (isAbortError(e)) throw e;
      add({
        id: 'metadata:schema',
        ok: false,
        message: e instanceof Error ? e.message : String(e),
        fix: 'Upload a valid features_metadata.json (see S3_DATA_REQUIREMENTS.md, "Features Metadata").',
      });
    }
  }
  return verdict();
}

/** The exact fix for a set-up failure. */
function setupFix(err: WorkbenchError, bucket: string, prefix: string): string {
  switch (err.code) {
    case 'S3_EXPIRED':
      return 'Reconnect to get fresh credentials (typed-in session keys must be renewed with `aws sts get-session-token`); also check the clock of this computer.';
    case 'S3_ACCESS_DENIED':
      if (/ListBucket/.test(err.message)) {
        return `Allow s3:ListBucket on arn:aws:s3:::${bucket} with the condition s3:prefix like "${prefix}data/*" and "${prefix}experiments/*" (deploy/iam-policy.json).`;
      }
      if (/unknown/.test(err.message)) return 'Check the access key id, the endpoint and the region; for Cognito check the identity pool id in config.json.';
      return 'Attach the policy in deploy/iam-policy.json to the role of the identity pool (or the user of these keys).';
    case 'S3_NO_SUCH_BUCKET':
      return `Create the bucket ${bucket} (deploy/cloudformation.yaml) or correct "bucket" and "region" in config.json.`;
    case 'S3_NETWORK':
    case 'S3_CORS':
      return 'Check the endpoint URL; for a hosted page apply deploy/cors.json with this page\'s exact origin.';
    default:
      return 'See the message; check the endpoint, region and bucket in config.json.';
  }
}
