import type { OutputSink } from '../../src/core/sink';

/** An OutputSink keeping every file in memory (tests only). */
export function memorySink(): OutputSink & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    async create(path: string) {
      const parts: Uint8Array[] = [];
      return {
        async write(bytes: Uint8Array) {
          parts.push(bytes.slice());
        },
        async close() {
          const total = parts.reduce((a, p) => a + p.length, 0);
          const all = new Uint8Array(total);
          let at = 0;
          for (const p of parts) {
            all.set(p, at);
            at += p.length;
          }
          files.set(path, all);
        },
      };
    },
  };
}
