/**
 * Errors are values with a code and a sentence that names the file and what is wrong. They cross the
 * worker boundary intact (see src/workers/transfer.ts) and the UI shows `message` as written.
 */
export type ErrorCode =
  | 'NPY_BAD_MAGIC'
  | 'NPY_BAD_HEADER'
  | 'NPY_UNSUPPORTED_DTYPE'
  | 'NPY_BAD_SHAPE'
  | 'NPY_TRUNCATED'
  | 'NPZ_BAD_ARCHIVE'
  | 'INPUT_MISMATCH'
  | 'BAD_SETTING'
  | 'BAD_METADATA'
  | 'SPLIT_IMPOSSIBLE'
  | 'SMOTE_IMPOSSIBLE'
  | 'IO_ERROR'
  | 'S3_ACCESS_DENIED'
  | 'S3_NO_SUCH_BUCKET'
  | 'S3_NETWORK'
  | 'S3_CORS'
  | 'S3_EXPIRED'
  | 'S3_CONFLICT'
  | 'S3_ERROR'
  | 'ABORTED'
  | 'INTERNAL';

/** A failure the user can act on: `message` is one sentence naming the file (if any) and the problem. */
export class WorkbenchError extends Error {
  override readonly name = 'WorkbenchError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }

  /** Plain-object form used to cross postMessage and to print from the CLI. */
  toJSON(): { code: ErrorCode; message: string; file?: string } {
    return { code: this.code, message: this.message, ...(this.file ? { file: this.file } : {}) };
  }
}

/** Rebuilds a WorkbenchError from its plain-object form. */
export function workbenchErrorFrom(o: { code: ErrorCode; message: string; file?: string }): WorkbenchError {
  return new WorkbenchError(o.code, o.message, o.file);
}

/** The error every cancelled job rejects with (name `AbortError`, like `fetch`). */
export function abortError(what = 'The job'): DOMException {
  return new DOMException(`${what} was cancelled.`, 'AbortError');
}

/** True when `e` is a cancellation (ours, or the platform's AbortError). */
export function isAbortError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AbortError';
}

/** Throws the AbortError when `signal` has been aborted; call between chunks of long work. */
export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw abortError(what);
}
