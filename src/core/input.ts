/**
 * What the user gave us, in a form that can cross postMessage (a File is structured-cloneable; a
 * ByteSource with methods is not). `openInput` turns it into a ByteSource on the side that reads.
 */
import type { ByteSource } from './source';
import { blobSource, bytesSource } from './source';

export type InputRef =
  | { kind: 'blob'; blob: Blob; name: string; entry?: string }
  | { kind: 'path'; path: string; entry?: string }
  | { kind: 'bytes'; bytes: Uint8Array; name: string; entry?: string };

/** Display name of an input (`archive.npz:features.npy` for an archive entry). */
export function inputName(ref: InputRef): string {
  const base = ref.kind === 'path' ? ref.path.split(/[\\/]/).pop()! : ref.name;
  return ref.entry ? `${base}:${ref.entry}` : base;
}

/** Opens the whole file of `ref` (ignoring `entry`; see `openInput` for archive entries). */
export async function openContainer(ref: InputRef): Promise<ByteSource> {
  switch (ref.kind) {
    case 'blob':
      return blobSource(ref.blob, ref.name);
    case 'bytes':
      return bytesSource(ref.bytes, ref.name);
    case 'path': {
      const { fileSource } = await import('./node-source');
      return fileSource(ref.path);
    }
  }
}

/** Opens `ref` for reading; for an `.npz` entry, a source over that entry's bytes. */
export async function openInput(ref: InputRef): Promise<ByteSource> {
  const container = await openContainer(ref);
  if (!ref.entry) return container;
  const { npzEntrySource } = await import('./npz');
  try {
    const entry = await npzEntrySource(container, ref.entry);
    // The entry source owns the container opened here: closing it releases the file handle.
    return { name: entry.name, size: entry.size, read: (offset, length) => entry.read(offset, length), close: async () => container.close?.() };
  } catch (e) {
    await container.close?.();
    throw e;
  }
}
