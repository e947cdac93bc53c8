// Re-exports only: each kernel lives in its own file and works on raw (ptr, len) memory.
export { onAbort } from "./abort";
export * from "./memory";
