// Re-exports only: each kernel lives in its own file and works on raw (ptr, len) memory.
export { onAbort } from "./abort";
export * from "./memory";
export * from "./decode";
export * from "./stats";
export * from "./select";
export * from "./rng";
export * from "./split";
export * from "./transform";
export * from "./smote";
export * from "./sha256";
export * from "./report_dups";
