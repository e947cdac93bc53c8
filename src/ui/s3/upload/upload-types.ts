/**
 * The upload worker's message-friendly API and the state it reports. Shared by the worker side
 * (./upload-host.ts, exposed by src/workers/upload.worker.ts) and the page (src/workers/upload.client.ts).
 */
import type { ConnectionSnapshot } from '../connection/store';

/** A prepared layout in OPFS: `root` holds `data/...`; paths are relative to it. */
export interface PreparedLayout {
  root: string;
  files: { path: string; size: number }[];
  savedAt?: string;
}

/** What to upload: the prepared layout in OPFS, or files the user dropped, each with its key below the prefix. */
export type UploadSource =
  | { kind: 'prepared'; root: string; files: { path: string; size: number }[] }
  | { kind: 'files'; files: { path: string; file: File }[] };

export type FilePhase =
  | 'queued'
  | 'hashing'
  | 'checking'
  | 'uploading'
  | 'verifying'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'cancelled';

/** One file's state as the page shows it. */
export interface FileStatus {
  /** Relative to the prefix, e.g. `data/training/features.npy`. */
  path: string;
  /** Full object key. */
  key: string;
  size: number;
  phase: FilePhase;
  hashedBytes: number;
  sentBytes: number;
  /** Requests (parts, HEADs) retried after a network or server failure. */
  retries: number;
  sha256?: string;
  /** Why the file was skipped, or the error as written. */
  message?: string;
  /** Size and recorded SHA-256 confirmed by HeadObject after the upload (or identical before it). */
  verified?: boolean;
}

/** An existing object with different content, waiting for the user's decision. */
export interface UploadConflict {
  key: string;
  size: number;
  sha256: string;
  existingSize: number;
  existingSha256?: string;
}

/** The user's answer; `forAll` applies it to the remaining conflicts of this upload without asking again. */
export interface ConflictDecision {
  overwrite: boolean;
  forAll: boolean;
}

export interface UploadSummary {
  files: FileStatus[];
  uploaded: number;
  /** Identical objects already in the bucket. */
  skipped: number;
  /** Different objects the user chose to keep. */
  kept: number;
  failed: number;
  bytesSent: number;
  seconds: number;
}

export interface UploadChoices {
  /** Download each uploaded object again and compare its SHA-256 (doubles the traffic). */
  verifyByDownload?: boolean;
}

/** The upload worker's API (comlink). */
export interface UploadHostApi {
  /** Uploads every file of `source` under the connection's prefix. Progress snapshots go to `onUpdate`. */
  upload(
    jobId: number,
    connection: ConnectionSnapshot,
    source: UploadSource,
    choices: UploadChoices,
    onUpdate: (files: FileStatus[]) => void,
    confirmOverwrite: (conflict: UploadConflict) => Promise<ConflictDecision>,
  ): Promise<UploadSummary>;
  /** Aborts a running upload (no-op for an unknown job). */
  cancel(jobId: number): void;
  /** The last prepared layout in browser storage (read by the worker from OPFS), or null. */
  preparedLayout(): Promise<PreparedLayout | null>;
}
