/**
 * The worker side of uploads: turns the page's request into the S3 core's `uploadFiles` call (SHA-256 in
 * WASM, HeadObject compare, lib-storage multipart, HeadObject verify) and reports plain snapshots back.
 * AbortSignals cannot cross postMessage, so each upload has a `jobId` and `cancel(jobId)` aborts it.
 * Touches no DOM: it runs in src/workers/upload.worker.ts, and in Node for tests.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { releaseProxy } from 'comlink';
import { abortError } from '../../../core/errors';
import { blobSource } from '../../../core/source';
import { keyFor } from '../../../s3/client';
import { uploadFiles, type FileProgress, type UploadFileResult, type UploadItem } from '../../../s3/upload';
import { openPreparedFile, readPreparedManifest } from '../../../workers/opfs-prepared';
import { sessionFor } from '../connection/session';
import type { ConnectionSnapshot } from '../connection/store';
import type { ConflictDecision, FilePhase, FileStatus, PreparedLayout, UploadChoices, UploadConflict, UploadHostApi, UploadSource, UploadSummary } from './upload-types';

const PHASE_OF: Record<FileProgress['state'], FilePhase> = {
  waiting: 'queued',
  hashing: 'hashing',
  checking: 'checking',
  uploading: 'uploading',
  verifying: 'verifying',
  uploaded: 'done',
  skipped: 'skipped',
  conflict: 'skipped',
  failed: 'failed',
};

/** Per-key retry counts, filled by a middleware on the client (the SDK reports attempts per request). */
const retriesByClient = new WeakMap<S3Client, Map<string, number>>();

function retryCounter(client: S3Client): Map<string, number> {
  let counts = retriesByClient.get(client);
  if (counts) return counts;
  const map = new Map<string, number>();
  counts = map;
  retriesByClient.set(client, map);
  const record = (key: unknown, attempts: unknown) => {
    if (typeof key === 'string' && typeof attempts === 'number' && attempts > 1) map.set(key, (map.get(key) ?? 0) + attempts - 1);
  };
  // The initialize step wraps the retry middleware, so `$metadata.attempts` counts every try of one request.
  client.middlewareStack.add(
    (next) => async (args) => {
      const key = (args.input as { Key?: unknown }).Key;
      try {
        const out = await next(args);
        record(key, (out.output as { $metadata?: { attempts?: number } }).$metadata?.attempts);
        return out;
      } catch (e) {
        record(key, (e as { $metadata?: { attempts?: number } }).$metadata?.attempts);
        throw e;
      }
    },
    { step: 'initialize', name: 'workbenchRetryCounter', override: true },
  );
  return counts;
}

type Remote<F> = F & { [releaseProxy]?: () => void };

/** Builds the upload host (the object the upload worker exposes). */
export function makeUploadHost(): UploadHostApi {
  const jobs = new Map<number, AbortController>();

  return {
    async upload(jobId, snap: ConnectionSnapshot, source: UploadSource, choices: UploadChoices, onUpdate, confirmOverwrite): Promise<UploadSummary> {
      const controller = new AbortController();
      jobs.set(jobId, controller);
      try {
        const session = sessionFor(snap);
        const retries = retryCounter(session.client);
        // Files go in as ByteSources, not Blobs: the core then streams 4 MiB windows into lib-storage,
        // which in Chromium was faster than lib-storage reading Blob.stream()'s 64 KiB chunks itself.
        const items: UploadItem[] =
          source.kind === 'prepared'
            ? source.files.map((f) => ({ key: keyFor(session.connection, f.path), size: f.size, open: async () => blobSource(await openPreparedFile({ root: source.root }, f.path), f.path) }))
            : source.files.map((f) => ({ key: keyFor(session.connection, f.path), size: f.file.size, open: () => blobSource(f.file, f.path) }));
        const paths = new Map(items.map((it, i) => [it.key, source.kind === 'prepared' ? source.files[i]!.path : source.files[i]!.path]));
        for (const it of items) retries.delete(it.key);
        const messages = new Map<string, string>();

        const status = (f: { key: string; size: number; done: number; state: FileProgress['state'] }): FileStatus => ({
          path: paths.get(f.key) ?? f.key,
          key: f.key,
          size: f.size,
          phase: PHASE_OF[f.state],
          hashedBytes: f.state === 'hashing' ? f.done : f.state === 'waiting' ? 0 : f.size,
          sentBytes: f.state === 'uploading' || f.state === 'verifying' || f.state === 'uploaded' ? f.done : 0,
          retries: retries.get(f.key) ?? 0,
          ...(messages.has(f.key) ? { message: messages.get(f.key) } : {}),
        });

        // One question at a time: uploads run two files at once, the page shows one dialog.
        let askQueue: Promise<unknown> = Promise.resolve();
        let sticky: boolean | undefined;
        const ask = (conflict: UploadConflict): Promise<boolean> => {
          const answer = askQueue.then(async () => {
            if (sticky !== undefined) return sticky;
            if (controller.signal.aborted) return false;
            const decision: ConflictDecision = await confirmOverwrite(conflict);
            if (decision.forAll) sticky = decision.overwrite;
            return decision.overwrite;
          });
          askQueue = answer.catch(() => undefined);
          return answer;
        };

        const report = await uploadFiles(session.client, session.bucket, items, {
          signal: controller.signal,
          verifyByDownload: choices.verifyByDownload ?? false,
          onProgress: (p) => onUpdate(p.files.map(status)),
          confirmOverwrite: async (key, existing, local) => {
            const overwrite = await ask({ key, size: local.size, sha256: local.sha256, existingSize: existing.size, ...(existing.sha256 ? { existingSha256: existing.sha256 } : {}) });
            if (!overwrite) messages.set(key, 'a different object exists; kept it as you chose');
            return overwrite;
          },
        });
        if (controller.signal.aborted) throw abortError('The upload');

        const files = report.files.map((r: UploadFileResult): FileStatus => ({
          path: paths.get(r.key) ?? r.key,
          key: r.key,
          size: r.size,
          phase: r.status === 'uploaded' ? 'done' : r.status === 'failed' ? 'failed' : 'skipped',
          hashedBytes: r.size,
          sentBytes: r.status === 'uploaded' ? r.size : 0,
          retries: retries.get(r.key) ?? 0,
          sha256: r.sha256,
          verified: r.verified,
          ...(r.status === 'skipped-identical'
            ? { message: 'identical object already in the bucket' }
            : r.error
              ? { message: r.error.message }
              : {}),
        }));
        return {
          files,
          uploaded: report.files.filter((r) => r.status === 'uploaded').length,
          skipped: report.files.filter((r) => r.status === 'skipped-identical').length,
          kept: report.files.filter((r) => r.status === 'skipped-conflict').length,
          failed: report.files.filter((r) => r.status === 'failed').length,
          bytesSent: report.sentBytes,
          seconds: report.seconds,
        };
      } finally {
        jobs.delete(jobId);
        (onUpdate as Remote<typeof onUpdate>)[releaseProxy]?.();
        (confirmOverwrite as Remote<typeof confirmOverwrite>)[releaseProxy]?.();
      }
    },

    cancel(jobId) {
      jobs.get(jobId)?.abort();
    },

    async preparedLayout(): Promise<PreparedLayout | null> {
      const manifest = await readPreparedManifest();
      return manifest ? { root: manifest.root, files: manifest.files.map((f) => ({ path: f.path, size: f.size })), savedAt: manifest.savedAt } : null;
    },
  };
}
