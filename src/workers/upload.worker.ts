/** The upload module worker: exposes the upload host (S3 core uploads, SHA-256 in WASM) through comlink. */
import { expose } from 'comlink';
import './transfer';
import { makeUploadHost } from '../ui/s3/upload/upload-host';

expose(makeUploadHost());
