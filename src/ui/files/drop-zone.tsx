/**
 * The drop zone: drag files onto it, or activate it (click, Enter, Space) to open the file picker. The
 * real `<input type=file>` is visually hidden but stays in the DOM (tests set files on it directly).
 */
import { createSignal, type JSX } from 'solid-js';
import { onActivateKey } from '../common/keyboard';

/** File types the picker offers. */
export const ACCEPTED_FILES = '.npy,.npz,.json';

export function DropZone(props: { onFiles: (files: File[]) => void; compact?: boolean }): JSX.Element {
  let input!: HTMLInputElement;
  const [over, setOver] = createSignal(false);
  const open = () => input.click();
  const take = (list: FileList | null | undefined) => {
    const files = list ? Array.from(list) : [];
    if (files.length) props.onFiles(files);
  };
  return (
    <div
      class="drop-zone"
      classList={{ over: over(), compact: props.compact }}
      role="button"
      tabIndex={0}
      aria-label="Add files: drop .npy, .npz or features_metadata.json files here, or press Enter to choose them"
      data-testid="drop-zone"
      onClick={open}
      onKeyDown={onActivateKey(open)}
      onDragEnter={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files);
      }}
    >
      <input
        ref={input}
        type="file"
        multiple
        accept={ACCEPTED_FILES}
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="file-input"
        onChange={(e) => {
          take(e.currentTarget.files);
          e.currentTarget.value = ''; // so picking the same file again fires change
        }}
      />
      <div class="drop-zone-title">{props.compact ? 'Add more files' : 'Drop features and labels here'}</div>
      <div class="drop-zone-hint muted">
        .npy or .npz arrays, and optionally features_metadata.json — or press Enter / click to choose files
      </div>
    </div>
  );
}
