/**
 * Makes errors cross the worker boundary intact. Comlink's own "throw" handler keeps only
 * `message`/`name`/`stack` of an Error, so a WorkbenchError would arrive without its `code` and `file`, and
 * a DOMException AbortError would become a plain Error. This replaces that handler (same `canHandle`) with
 * one that rebuilds a WorkbenchError with its code, message and file, and an AbortError as a DOMException
 * named `AbortError`. Import this module for its side effect on BOTH sides (worker and page) before use.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { WorkbenchError, isAbortError, type ErrorCode } from '../core/errors';

type WireError =
  | { kind: 'workbench'; code: ErrorCode; message: string; file?: string }
  | { kind: 'abort'; message: string }
  | { kind: 'error'; name: string; message: string; stack?: string }
  | { kind: 'value'; value: unknown };

/** Plain-object form of anything thrown (structured-cloneable). */
export function errorToWire(value: unknown): WireError {
  if (value instanceof WorkbenchError) {
    return { kind: 'workbench', code: value.code, message: value.message, ...(value.file ? { file: value.file } : {}) };
  }
  // A WorkbenchError from another realm (or rebuilt without its prototype) still has name + code.
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'WorkbenchError' &&
    typeof (value as { code?: unknown }).code === 'string'
  ) {
    const v = value as { code: ErrorCode; message: string; file?: string };
    return { kind: 'workbench', code: v.code, message: String(v.message), ...(v.file ? { file: v.file } : {}) };
  }
  if (isAbortError(value)) return { kind: 'abort', message: String((value as Error).message ?? 'The job was cancelled.') };
  if (value instanceof Error) return { kind: 'error', name: value.name, message: value.message, stack: value.stack };
  return { kind: 'value', value };
}

/** Rebuilds what `errorToWire` flattened (the value to throw). */
export function errorFromWire(w: WireError): unknown {
  switch (w.kind) {
    case 'workbench':
      return new WorkbenchError(w.code, w.message, w.file);
    case 'abort':
      return new DOMException(w.message, 'AbortError');
    case 'error': {
      const e = new Error(w.message);
      e.name = w.name;
      if (w.stack) e.stack = w.stack;
      return e;
    }
    case 'value':
      return w.value;
  }
}

const builtinThrow = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown> | undefined;

if (!builtinThrow) {
  throw new Error('comlink has no "throw" transfer handler to replace: the comlink version changed.');
}

const workbenchThrowHandler: TransferHandler<{ value: unknown }, WireError> = {
  canHandle: builtinThrow.canHandle,
  serialize({ value }) {
    return [errorToWire(value), []];
  },
  deserialize(wire) {
    throw errorFromWire(wire);
  },
};

transferHandlers.set('throw', workbenchThrowHandler as TransferHandler<unknown, unknown>);

/** True once this module has been loaded (import it for the side effect; this keeps bundlers from dropping it). */
export const ERROR_TRANSFER_INSTALLED = true;
