// Our own abort handler so the module needs no `env.abort` import from the host.
export function onAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
