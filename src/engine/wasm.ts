/**
 * Instantiates the AssemblyScript kernels in Node and in browsers/workers.
 *
 * One compiled `WebAssembly.Module` is cached per process; every job gets a *fresh instance* so its
 * linear memory starts small and is dropped with the job (the stub runtime never frees, and a grown
 * memory never shrinks). The SIMD build is used where the engine validates SIMD, else the scalar one.
 */

/** Raw exports of build/kernels.*.wasm. Kernel modules declare typed views of the functions they use. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  resetArena(): void;
  arenaMark(): number;
  resetArenaTo(mark: number): void;
  arenaBytes(): number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [kernel: string]: any;
}

export type KernelFlavour = 'simd' | 'scalar';

/** One job's kernel instance, with helpers that re-create views after memory growth. */
export class Kernels {
  constructor(
    readonly exports: KernelExports,
    readonly flavour: KernelFlavour,
  ) {}

  /** Reserves `bytes` of scratch memory; throws a clear error when linear memory cannot grow. */
  alloc(bytes: number): number {
    const ptr = this.exports.alloc(bytes) >>> 0;
    if (ptr === 0 && bytes > 0) {
      throw new RangeError(`WebAssembly memory could not grow by ${(bytes / 2 ** 20).toFixed(0)} MiB.`);
    }
    return ptr;
  }

  /** Frees every allocation of this instance (the arena is per job). */
  reset(): void {
    this.exports.resetArena();
  }

  /** The arena's current end, to free back to with `release`. */
  mark(): number {
    return this.exports.arenaMark() >>> 0;
  }

  /** Frees every allocation made after `mark` (from `mark()`). */
  release(mark: number): void {
    this.exports.resetArenaTo(mark);
  }

  // Views must be re-created after anything that can grow memory: `memory.buffer` is replaced then.
  u8(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, len);
  }
  u32(ptr: number, len: number): Uint32Array {
    return new Uint32Array(this.exports.memory.buffer, ptr, len);
  }
  i32(ptr: number, len: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, ptr, len);
  }
  f32(ptr: number, len: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, len);
  }
  f64(ptr: number, len: number): Float64Array {
    return new Float64Array(this.exports.memory.buffer, ptr, len);
  }
  /** Copies `len` bytes out of WASM memory (results must not alias the heap once posted). */
  copyOut(ptr: number, len: number): Uint8Array {
    return this.u8(ptr, len).slice();
  }
}

// The smallest module using a v128 instruction: validates only where SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this engine runs WebAssembly SIMD (then the SIMD build is used). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** True in Node (CLI, tests, benchmarks); false in pages and workers, where Node-only paths are never loaded. */
export const isNode = typeof process !== 'undefined' && !!process.versions?.node && !('window' in globalThis);

const modules = new Map<KernelFlavour, Promise<WebAssembly.Module>>();

async function wasmBytes(flavour: KernelFlavour): Promise<ArrayBuffer | Uint8Array> {
  const file = flavour === 'simd' ? 'kernels.simd.wasm' : 'kernels.scalar.wasm';
  if (isNode && !(globalThis as { __VITE_BROWSER__?: boolean }).__VITE_BROWSER__) {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    const url = new URL(`../../build/${file}`, import.meta.url);
    try {
      return await readFile(url);
    } catch {
      throw new Error(`The WebAssembly kernels are not built (${file} missing): run \`npm run build:wasm\`.`);
    }
  }
  const url =
    flavour === 'simd'
      ? new URL('../../build/kernels.simd.wasm', import.meta.url)
      : new URL('../../build/kernels.scalar.wasm', import.meta.url);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`Could not load the WebAssembly kernels from ${url} (HTTP ${res.status}).`);
  return await res.arrayBuffer();
}

/**
 * Node: the kernels are compiled by V8's optimizing tier, all of them, when the module is compiled
 * (~20 ms, once per process, before any job) rather than function by function on first call with the
 * baseline tier (Liftoff). A kernel called once on a large input — the split's, the leakage count — never
 * tiers up in the middle of that call, so it ran its whole length as baseline code (~2x slower), and
 * the tier-up compiles of the others ran inside the job. The flags are process-wide V8 settings; the page
 * keeps the browser's own tiering.
 */
let optimizedUpFront: Promise<void> | null = null;
function compileOptimizedUpFront(): Promise<void> {
  optimizedUpFront ??= import(/* @vite-ignore */ 'node:v8').then(
    (v8) => {
      v8.setFlagsFromString('--no-liftoff');
      v8.setFlagsFromString('--no-wasm-lazy-compilation');
    },
    () => {},
  );
  return optimizedUpFront;
}

/** The compiled module for `flavour` (cached). */
export function kernelModule(flavour: KernelFlavour = simdSupported() ? 'simd' : 'scalar'): Promise<WebAssembly.Module> {
  let m = modules.get(flavour);
  if (!m) {
    const flags = isNode && !(globalThis as { __VITE_BROWSER__?: boolean }).__VITE_BROWSER__ ? compileOptimizedUpFront() : Promise.resolve();
    m = Promise.all([wasmBytes(flavour), flags]).then(([b]) => WebAssembly.compile(b as BufferSource));
    modules.set(flavour, m);
    m.catch(() => modules.delete(flavour));
  }
  return m;
}

/** A fresh kernel instance for one job. Pass `flavour` to force a build (tests compare both). */
export async function instantiateKernels(flavour: KernelFlavour = simdSupported() ? 'simd' : 'scalar'): Promise<Kernels> {
  const module = await kernelModule(flavour);
  const instance = await WebAssembly.instantiate(module, {});
  return new Kernels(instance.exports as unknown as KernelExports, flavour);
}
