/**
 * What happens to dropped files: each becomes a card at once, then its header(s) are read by the engine
 * worker (`inspect`) one file at a time; a file that fails shows its own message and never affects the
 * others. Metadata JSON files are parsed here (they are small) for the card's summary.
 */
import { addFiles, markFileError, markFileInspected, setAppState, type DroppedFile, type MetadataSummary } from '../shell/store';
import { getEngine } from '../../workers/engine.client';
import { errorMessage } from '../common/format';

/** Metadata files larger than this are not parsed on the page for the card (the engine reads them). */
const MAX_METADATA_PREVIEW_BYTES = 4 * 1024 * 1024;

/** Adds the files to the store and inspects them in the worker; resolves when every card is settled. */
export async function ingestFiles(files: File[]): Promise<void> {
  const added = addFiles(files);
  for (const f of added) {
    if (f.kind === 'npy' || f.kind === 'npz') await inspectFile(f);
    else if (f.kind === 'json') await summariseMetadata(f);
  }
}

async function inspectFile(f: DroppedFile): Promise<void> {
  try {
    const infos = await getEngine().inspect({ kind: 'blob', blob: f.file, name: f.name });
    markFileInspected(
      f.id,
      infos.map((info) => (f.kind === 'npz' ? { entry: info.name, info } : { info })),
    );
  } catch (e) {
    markFileError(f.id, errorMessage(e, f.name));
  }
}

async function summariseMetadata(f: DroppedFile): Promise<void> {
  if (f.size > MAX_METADATA_PREVIEW_BYTES) return;
  try {
    const parsed = JSON.parse(await f.file.text()) as { n_features?: unknown; feature_names?: unknown };
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      markFileError(f.id, `${f.name}: the metadata must be a JSON object.`);
      return;
    }
    const summary: MetadataSummary = {
      nFeatures: typeof parsed.n_features === 'number' ? parsed.n_features : undefined,
      names: Array.isArray(parsed.feature_names) ? parsed.feature_names.length : 0,
    };
    setAppState('files', (x) => x.id === f.id, 'metadataSummary', summary);
  } catch (e) {
    markFileError(f.id, `${f.name}: not valid JSON (${(e as Error).message}).`);
  }
}
