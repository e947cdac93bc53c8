/**
 * Exact order statistics over streamed columns by radix selection (kernels in assembly/select.ts),
 * plus numpy's percentile / median formulas on top of them.
 *
 * Pass 1 counts every column's non-NaN values by the top 16 bits of an order-preserving u64 key.
 * For each wanted rank the bucket holding it is then known, with the rank inside that bucket. Each
 * later pass visits only values inside such buckets: a bucket small enough (COLLECT_MAX_VALUES) is
 * collected and sorted here; a larger one is histogrammed on its next 16 bits (and resolved at once
 * if it turns out to hold a single value, e.g. a constant column). After at most four
 * histogram levels the key — so the value — is fully known, so the passes are bounded (pass 1 plus at
 * most 3, typically 1) and memory is bounded (65,536 u32 per column, 256 KiB per large bucket, and
 * COLLECT_BUDGET_VALUES collected values). The answer is exact: it is the value at that rank of
 * the sorted column, with -0 reported as +0.
 *
 * `OrderStatisticsSelector` is the pass-by-pass machine (the report drives it together with its own
 * kernels in the same passes); `columnOrderStatistics` runs it on its own over a RowStream.
 */
import type { Kernels } from './wasm';
import type { RowStream } from './stream';
import type { ProgressFn } from '../core/progress';
export { medianRanks, nanmedian, percentileLinear } from '../core/numpy-order-stats';

/** Which values ranks count: finite only (±inf excluded), or every non-NaN value (±inf included). */
export type ValueDomain = 'finite' | 'non-nan';

/** Rows to include: a mask (non-zero = included, one byte per row) or sorted row indices. */
export type RowFilter = Uint8Array | Uint32Array;

const BINS = 65536;
const BUCKET_NEG_INF = 0x000f;
const BUCKET_POS_INF = 0xfff0;
const TARGET_BYTES = 32;
const MODE_HIST16 = 0;
const MODE_COLLECT = 1;
const MODE_CLASS = 2;
const MODE_COLLECT_F32 = 3;
/** Bins of tf_select_ranks_f32's radix levels (assembly/transform.ts RADIX_BINS). */
const SELECT_RADIX_BINS = 65536;
/** Key bits a class refinement target splits its bucket by (SELECT_CLASS_SUB_BITS in assembly/select.ts). */
const CLASS_SUB_BITS = 6;
const CLASS_BINS = 1 << CLASS_SUB_BITS;
/** Class target output: 2 x CLASS_BINS u32 counts, then the u64 OR and the u64 AND of the keys counted. */
const CLASS_TARGET_BYTES = 2 * CLASS_BINS * 4 + 16;
/** A bucket with at most this many values is collected and sorted instead of histogrammed again. */
export const COLLECT_MAX_VALUES = 1 << 20;
/** Collected values per pass, all targets together (8 bytes each: 64 MiB; 4 bytes with `float32Values`). */
export const COLLECT_BUDGET_VALUES = 8 << 20;
const SIGN = 1n << 63n;
const MASK64 = (1n << 64n) - 1n;

/** The value whose order-preserving key is `key` (inverse of keyOf in assembly/select.ts). */
export function valueOfKey(key: bigint): number {
  const bits = key & SIGN ? key & ~SIGN : ~key & MASK64;
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

/** Order-preserving key of a non-NaN value (keyOf in assembly/select.ts; -0 maps to +0's key). */
export function keyOfValue(x: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x + 0);
  const bits = view.getBigUint64(0);
  return bits & SIGN ? ~bits & MASK64 : bits | SIGN;
}

/** Smallest and largest value whose key lies in top-16-bit bucket `bucket`. */
export function bucketValueRange(bucket: number): [number, number] {
  const lo = BigInt(bucket) << 48n;
  return [valueOfKey(lo), valueOfKey(lo | ((1n << 48n) - 1n))];
}

/** Top-16-bit radix bucket of a non-NaN value. */
export function bucketOfValue(x: number): number {
  return Number(keyOfValue(x) >> 48n);
}

/** True when some row's class byte is neither 0 nor 1 (its values need a table of their own in pass 1). */
function hasOtherClass(classes: Uint8Array): boolean {
  for (let i = 0; i < classes.length; i++) if (classes[i]! > 1) return true;
  return false;
}

/** Turns a RowFilter into a per-row mask of `rows` bytes. */
export function rowMask(filter: RowFilter, rows: number): Uint8Array {
  if (filter instanceof Uint8Array) return filter;
  const mask = new Uint8Array(rows);
  for (let i = 0; i < filter.length; i++) mask[filter[i]!] = 1;
  return mask;
}

interface Chain {
  col: number;
  /** The rank as requested (within the domain). */
  asked: number;
  /** Rank among the column's non-NaN values, within the current prefix. */
  rank: number;
  prefix: bigint;
  bits: number;
  /** Values in the current prefix group. */
  count: number;
  value?: number;
}

interface Target {
  col: number;
  mode: number;
  bits: number;
  prefix: bigint;
  out: number;
  record: number;
  chains: Chain[];
  /** Collect targets: values the bucket holds (known from the previous pass). */
  capacity?: number;
}

/**
 * Per-block scratch copied from a per-row byte array (mask or classes), taken at the arena's top for
 * one kernel call and freed by the caller after it: a pass leaves nothing allocated behind, so a
 * caller can free its own allocations made after the selector's (the report's row hashes).
 */
class RowBytes {
  constructor(
    private readonly kernels: Kernels,
    private readonly bytes: Uint8Array | undefined,
  ) {}
  /** WASM pointer to a copy of bytes[rowStart .. rowStart + nRows), or 0 when there is no array. */
  at(rowStart: number, nRows: number): number {
    if (!this.bytes) return 0;
    const ptr = this.kernels.alloc(nRows);
    this.kernels.u8(ptr, nRows).set(this.bytes.subarray(rowStart, rowStart + nRows));
    return ptr;
  }
}

export interface SelectorOptions {
  domain?: ValueDomain;
  rowFilter?: RowFilter;
  /** Per-row class byte (0 = negative, 1 = positive, other = ignored) for class histograms (AUC). */
  classes?: Uint8Array;
  /** Largest bucket collected instead of histogrammed (default COLLECT_MAX_VALUES; tests lower it). */
  collectMaxValues?: number;
  /** Every value is exactly a float32 (e.g. read from a float32 file): collected as f32, half the memory. */
  float32Values?: boolean;
}

/**
 * The radix-selection state machine. Use: `consumeFirst` on every block of pass 1; `request` ranks;
 * then while `plan()` is true, `consume` every block of one more pass and `finishPass()`.
 */
export class OrderStatisticsSelector {
  readonly domain: ValueDomain;
  /** Pass-1 histogram (cols x 65,536 u32) of every non-NaN value. */
  readonly histPtr: number;
  /**
   * With `classes`, pass 1 counts class-0 rows at histPtr, class-1 rows in a second table here and rows
   * of any other class in a third (only when some row has one); then histPtr's table becomes the
   * all-rows one (class-0 counts are what the other two do not hold).
   */
  private readonly posHistPtr: number = 0;
  private readonly otherHistPtr: number = 0;
  private merged = true;
  private readonly mask: RowBytes;
  private readonly classes: RowBytes;
  private lookupPtr = 0;
  private bitsPtr = 0;
  private chains: Chain[] = [];
  private targets: Target[] = [];
  private targetsPtr = 0;
  private classTargets: Target[] = [];
  private bucketTargets: Target[] = [];
  private locatePtr: number;
  private readonly collectMax: number;
  private readonly collectMode: number;
  // One scratch region for target records and outputs, reused by every later pass (grown if needed).
  private scratchPtr = 0;
  private scratchBytes = 0;

  constructor(
    readonly kernels: Kernels,
    readonly rows: number,
    readonly cols: number,
    opts: SelectorOptions = {},
  ) {
    this.domain = opts.domain ?? 'finite';
    this.collectMax = opts.collectMaxValues ?? COLLECT_MAX_VALUES;
    this.collectMode = opts.float32Values ? MODE_COLLECT_F32 : MODE_COLLECT;
    const histBytes = cols * BINS * 4;
    const tables = opts.classes ? (hasOtherClass(opts.classes) ? 3 : 2) : 1;
    this.histPtr = kernels.alloc(tables * histBytes);
    kernels.u8(this.histPtr, tables * histBytes).fill(0);
    if (opts.classes) {
      this.posHistPtr = this.histPtr + histBytes;
      if (tables === 3) this.otherHistPtr = this.histPtr + 2 * histBytes;
      this.merged = false;
    }
    this.mask = new RowBytes(kernels, opts.rowFilter ? rowMask(opts.rowFilter, rows) : undefined);
    this.classes = new RowBytes(kernels, opts.classes);
    this.locatePtr = kernels.alloc(24);
  }

  /** Pass 1: counts the block's values into the top-16-bit histograms. */
  consumeFirst(rowStart: number, nRows: number, blockPtr: number): void {
    const top = this.kernels.mark();
    const mask = this.mask.at(rowStart, nRows);
    const classes = this.classes.at(rowStart, nRows);
    this.kernels.exports.select_hist16(blockPtr, nRows, this.cols, mask, this.histPtr, classes);
    this.kernels.release(top);
  }

  /** After pass 1 with classes: the class-0 table becomes the all-rows one (adds the other tables). */
  private mergeClassHistograms(): void {
    if (this.merged) return;
    const n = this.cols * BINS;
    const all = this.kernels.u32(this.histPtr, n);
    const pos = this.kernels.u32(this.posHistPtr, n);
    if (this.otherHistPtr !== 0) {
      const other = this.kernels.u32(this.otherHistPtr, n);
      for (let i = 0; i < n; i++) all[i] = all[i]! + pos[i]! + other[i]!;
    } else {
      for (let i = 0; i < n; i++) all[i] = all[i]! + pos[i]!;
    }
    this.merged = true;
  }

  /** Pass-1 histogram of column `col` (a view into WASM memory: copy it before anything allocates). */
  histogram(col: number): Uint32Array {
    this.mergeClassHistograms();
    return this.kernels.u32(this.histPtr + col * BINS * 4, BINS);
  }

  /** Pass-1 counts of class-0 and class-1 rows of column `col` in bins [first, end) (copies; needs `classes`). */
  classHistograms(col: number, first: number, end: number): { neg: Uint32Array; pos: Uint32Array } {
    const all = this.histogram(col).subarray(first, end);
    const at = (col * BINS + first) * 4;
    const pos = this.kernels.u32(this.posHistPtr + at, end - first).slice();
    const other = this.otherHistPtr !== 0 ? this.kernels.u32(this.otherHistPtr + at, end - first) : undefined;
    const neg = new Uint32Array(end - first);
    for (let b = 0; b < neg.length; b++) neg[b] = all[b]! - pos[b]! - (other ? other[b]! : 0);
    return { neg, pos };
  }

  /** Number of values in the domain per column (after pass 1). */
  validCount(col: number): number {
    const h = this.histogram(col);
    let n = 0;
    for (let b = 0; b < BINS; b++) n += h[b]!;
    if (this.domain === 'finite') n -= h[BUCKET_NEG_INF]! + h[BUCKET_POS_INF]!;
    return n;
  }

  /** Asks for the values at 0-based `ranks` (within the domain) of column `col`; call after pass 1. */
  request(col: number, ranks: number[]): void {
    const h = this.histogram(col);
    const offset = this.domain === 'finite' ? h[BUCKET_NEG_INF]! : 0;
    for (const rank of ranks) {
      const chain: Chain = { col, asked: rank, rank: rank + offset, prefix: 0n, bits: 0, count: 0 };
      this.locate(chain, this.histPtr + col * BINS * 4);
      this.chains.push(chain);
    }
  }

  /**
   * Adds a class-histogram target to the next pass: the next CLASS_SUB_BITS bits, per class, of values
   * whose key starts with the `bits`-bit `prefix` (16 <= bits <= 64 - CLASS_SUB_BITS). Returns a handle for `classCounts`.
   */
  addClassTarget(col: number, prefix: bigint, bits: number): number {
    this.classTargets.push({ col, mode: MODE_CLASS, bits, prefix, out: 0, record: 0, chains: [] });
    return this.classTargets.length - 1;
  }

  /** Counts (2 x CLASS_BINS: class 0 then class 1) of class target `index` after the pass that ran it. */
  classCounts(index: number): Uint32Array {
    return this.kernels.u32(this.classTargets[index]!.out, 2 * CLASS_BINS).slice();
  }

  /**
   * Adds a target to the next pass that collects every value of column `col` in top-16-bit bucket
   * `bucket` (pass-1 histogram); returns a handle for `bucketValues`.
   */
  collectBucket(col: number, bucket: number): number {
    const capacity = this.histogram(col)[bucket]!;
    this.bucketTargets.push({ col, mode: this.collectMode, bits: 16, prefix: BigInt(bucket), out: 0, record: 0, chains: [], capacity });
    return this.bucketTargets.length - 1;
  }

  /** The values collected by `collectBucket` target `index` (unsorted), after the pass that ran it. */
  bucketValues(index: number): Float64Array {
    const t = this.bucketTargets[index]!;
    const fill = this.kernels.u32(t.record + 12, 1)[0]!;
    return Float64Array.from(this.collected(t, fill));
  }

  /**
   * Values at `ranks` (ascending, distinct, < n) of the n NaN-free float32 values at `ptr`, with
   * scratch at the arena's top (released before returning). -0.0 never occurs: values are collected
   * as x + 0.0.
   */
  private selectF32(ptr: number, n: number, ranks: number[]): number[] {
    const k = this.kernels;
    const mark = k.mark();
    const hist = k.alloc(SELECT_RADIX_BINS * 4);
    const slots = k.alloc(SELECT_RADIX_BINS * 4);
    const buf = k.alloc(Math.max(1, n) * 4);
    const bucketOf = k.alloc(ranks.length * 8);
    const ranksPtr = k.alloc(ranks.length * 4);
    const out = k.alloc(ranks.length * 8);
    k.u32(ranksPtr, ranks.length).set(ranks);
    k.exports.tf_select_ranks_f32(ptr, n, ranksPtr, ranks.length, out, hist, slots, buf, bucketOf);
    const values = Array.from(k.f64(out, ranks.length));
    k.release(mark);
    return values;
  }

  /** View of the `n` values collect target `t` received (f64, or f32 with `float32Values`). */
  private collected(t: Target, n: number): Float64Array | Float32Array {
    return t.mode === MODE_COLLECT_F32 ? this.kernels.f32(t.out, n) : this.kernels.f64(t.out, n);
  }

  /** The top-16-bit bucket holding requested rank `rank` of column `col` (after `request`). */
  firstBucket(col: number, rank: number): number | undefined {
    const c = this.chains.find((x) => x.col === col && x.asked === rank);
    return c && c.bits >= 16 ? Number(c.prefix >> BigInt(c.bits - 16)) : undefined;
  }

  /**
   * True when each sub-bin of class target `index` holds a single value (its ties are exact): the
   * keys counted differ in no bit below the sub-bins' — one value in all, or a few values that the
   * sub-bins tell apart (integers in a bucket of several, say).
   */
  classSubBinsSingleValued(index: number): boolean {
    const t = this.classTargets[index]!;
    const [or, and] = new BigUint64Array(this.kernels.exports.memory.buffer, t.out + 2 * CLASS_BINS * 4, 2);
    return ((or! ^ and!) & ((1n << BigInt(64 - t.bits - CLASS_SUB_BITS)) - 1n)) === 0n;
  }

  /** Sets up the next pass; false when every requested rank is resolved and no class target waits. */
  plan(): boolean {
    const groups = new Map<string, Target>();
    let collectBudget = COLLECT_BUDGET_VALUES;
    this.targets = [];
    for (const chain of this.chains) {
      if (chain.value !== undefined) continue;
      if (chain.bits === 64) {
        chain.value = valueOfKey(chain.prefix);
        continue;
      }
      const id = `${chain.col}:${chain.bits}:${chain.prefix}`;
      let t = groups.get(id);
      if (!t) {
        const collect = chain.count <= this.collectMax && chain.count <= collectBudget;
        if (collect) collectBudget -= chain.count;
        t = { col: chain.col, mode: collect ? this.collectMode : MODE_HIST16, bits: chain.bits, prefix: chain.prefix, out: 0, record: 0, chains: [] };
        groups.set(id, t);
        this.targets.push(t);
      }
      t.chains.push(chain);
    }
    const all = [...this.targets, ...this.classTargets.filter((t) => t.record === 0), ...this.bucketTargets.filter((t) => t.record === 0)];
    if (all.length === 0) return false;
    if (all.length > 0xffff) throw new RangeError(`Too many order-statistic targets in one pass (${all.length}).`);
    const k = this.kernels;
    if (this.lookupPtr === 0) this.lookupPtr = k.alloc(this.cols * BINS * 2);
    if (this.bitsPtr === 0) this.bitsPtr = k.alloc(this.cols * (BINS >> 3));
    k.u8(this.lookupPtr, this.cols * BINS * 2).fill(0);
    k.u8(this.bitsPtr, this.cols * (BINS >> 3)).fill(0);
    const outBytes = (t: Target) =>
      t.mode === MODE_HIST16 ? BINS * 4 + 16 : t.mode === MODE_CLASS ? CLASS_TARGET_BYTES : (t.capacity ?? t.chains[0]!.count) * (t.mode === MODE_COLLECT_F32 ? 4 : 8);
    const need = all.reduce((sum, t) => sum + ((outBytes(t) + 15) & ~15), all.length * TARGET_BYTES);
    if (need > this.scratchBytes) {
      this.scratchPtr = k.alloc(need);
      this.scratchBytes = need;
    }
    this.targetsPtr = this.scratchPtr;
    let at = this.scratchPtr + all.length * TARGET_BYTES;
    all.forEach((t, i) => {
      const bytes = outBytes(t);
      t.out = at;
      at += (bytes + 15) & ~15;
      if (t.mode === MODE_HIST16 || t.mode === MODE_CLASS) k.u8(t.out, bytes).fill(0);
      if (t.mode === MODE_CLASS) k.u8(t.out + 2 * CLASS_BINS * 4 + 8, 8).fill(0xff); // the AND of keys starts at ~0
      if (t.mode === MODE_HIST16) k.u8(t.out + BINS * 4, 8).fill(0xff);
      t.record = this.targetsPtr + i * TARGET_BYTES;
    });
    // Views are made after the last alloc (allocating may grow memory and detach older views).
    const lk = new Uint16Array(k.exports.memory.buffer, this.lookupPtr, this.cols * BINS);
    const bits = new Uint8Array(k.exports.memory.buffer, this.bitsPtr, this.cols * (BINS >> 3));
    const view = new DataView(k.exports.memory.buffer);
    all.forEach((t, i) => {
      const top = Number(t.prefix >> BigInt(t.bits - 16));
      const slot = t.col * BINS + top;
      const rec = t.record;
      view.setUint32(rec, t.col, true);
      view.setInt32(rec + 4, t.mode, true);
      view.setInt32(rec + 8, t.bits, true);
      view.setUint32(rec + 12, 0, true);
      view.setBigUint64(rec + 16, t.prefix, true);
      view.setUint32(rec + 24, t.out, true);
      view.setUint32(rec + 28, lk[slot]!, true); // chain to the previous target of this bucket
      lk[slot] = i + 1;
      bits[slot >> 3]! |= 1 << (slot & 7);
    });
    return true;
  }

  /** A later pass: visits the block's values inside the planned targets. */
  consume(rowStart: number, nRows: number, blockPtr: number): void {
    const top = this.kernels.mark();
    const mask = this.mask.at(rowStart, nRows);
    const classes = this.classes.at(rowStart, nRows);
    this.kernels.exports.select_refine(blockPtr, nRows, this.cols, mask, classes, this.lookupPtr, this.targetsPtr, this.bitsPtr);
    this.kernels.release(top);
  }

  /** Resolves or descends every chain after a pass. */
  finishPass(): void {
    const k = this.kernels;
    for (const t of this.targets) {
      if (t.mode === MODE_COLLECT_F32) {
        // Float32 values: the radix selection of the prepare fit (linear, ties resolved by a second
        // 16-bit level) at the chains' ranks, instead of sorting the whole bucket.
        const ranks = [...new Set(t.chains.map((c) => c.rank))].sort((a, b) => a - b);
        const values = this.selectF32(t.out, t.chains[0]!.count, ranks);
        for (const c of t.chains) c.value = values[ranks.indexOf(c.rank)]!;
      } else if (t.mode === MODE_COLLECT) {
        const n = t.chains[0]!.count;
        const sorted = this.collected(t, n).sort(); // in place: the next pass lays the scratch out afresh
        for (const c of t.chains) c.value = sorted[c.rank]!;
      } else {
        const [minKey, maxKey] = new BigUint64Array(k.exports.memory.buffer, t.out + BINS * 4, 2);
        // One value fills the bucket (a constant column, a spike of zeros): it is the answer.
        if (minKey === maxKey) for (const c of t.chains) c.value = valueOfKey(minKey!);
        else for (const c of t.chains) this.locate(c, t.out);
      }
    }
    this.targets = [];
  }

  /** Value at `rank` of column `col` (as passed to `request`); NaN if unresolved. */
  value(col: number, rank: number): number {
    const c = this.chains.find((x) => x.col === col && x.asked === rank);
    return c?.value ?? NaN;
  }

  /** Values of every requested rank, in request order, per column. */
  values(): Map<number, number[]> {
    const out = new Map<number, number[]>();
    for (const c of this.chains) {
      if (!out.has(c.col)) out.set(c.col, []);
      out.get(c.col)!.push(c.value ?? NaN);
    }
    return out;
  }

  private locate(chain: Chain, histPtr: number): void {
    const k = this.kernels;
    k.exports.select_locate(histPtr, BINS, 0, chain.rank, this.locatePtr);
    const [bin, before, count] = k.f64(this.locatePtr, 3);
    if (bin! < 0) {
      chain.value = NaN; // rank beyond the values (asked for more than the column has)
      return;
    }
    chain.prefix = (chain.prefix << 16n) | BigInt(bin!);
    chain.bits += 16;
    chain.rank -= before!;
    chain.count = count!;
  }
}

/** Options of `columnOrderStatistics`. */
export interface OrderStatisticsOptions {
  /** 0-based ranks wanted per column, given the column's number of values in the domain. */
  ranks: (col: number, nValid: number) => number[];
  domain?: ValueDomain;
  rowFilter?: RowFilter;
  onProgress?: ProgressFn;
  collectMaxValues?: number;
}

/** Result of `columnOrderStatistics`: per column, the count in the domain and the values at the ranks. */
export interface OrderStatistics {
  counts: Float64Array;
  /** values[col][i] is the value at ranks(col, counts[col])[i]. */
  values: Float64Array[];
  /** Streaming passes made over the input. */
  passes: number;
}

/**
 * Exact values at given ranks of every column of `stream` (numpy's sorted order; NaN never counted;
 * ±inf counted only in the 'non-nan' domain). Makes pass 1 plus one pass per refinement level.
 */
export async function columnOrderStatistics(stream: RowStream, opts: OrderStatisticsOptions): Promise<OrderStatistics> {
  const { cols } = stream;
  const sel = new OrderStatisticsSelector(stream.kernels, stream.rows, cols, { domain: opts.domain, rowFilter: opts.rowFilter, collectMaxValues: opts.collectMaxValues });
  let passes = 1;
  await stream.pass((r0, n, ptr) => sel.consumeFirst(r0, n, ptr), opts.onProgress, 'order statistics: counting');
  const counts = new Float64Array(cols);
  const asked: number[][] = [];
  for (let c = 0; c < cols; c++) {
    counts[c] = sel.validCount(c);
    asked[c] = opts.ranks(c, counts[c]!);
    sel.request(c, asked[c]!);
  }
  while (sel.plan()) {
    passes++;
    await stream.pass((r0, n, ptr) => sel.consume(r0, n, ptr), opts.onProgress, `order statistics: refining (${passes})`);
    sel.finishPass();
  }
  const byCol = sel.values();
  const values = asked.map((_, c) => Float64Array.from(byCol.get(c) ?? []));
  return { counts, values, passes };
}

/** The two 0-based ranks numpy's `linear` percentile reads for q (0..100) among m sorted values. */
export function percentileRanks(m: number, q: number): [number, number] {
  if (m <= 0) return [0, 0];
  const vi = (m - 1) * (q / 100);
  if (vi >= m - 1) return [m - 1, m - 1];
  const lo = Math.floor(vi);
  return [lo, lo + 1];
}




/** Largest tolerated bound on the AUC error left by tie-halving inside radix buckets. */
export const AUC_ERROR_TARGET = 5e-4;
/** At most this many buckets per column are refined per pass by default (528 bytes each for one pass). */
export const AUC_REFINE_PER_PASS = 512;
/**
 * Refinement passes per column at most: 16 + 6 x 6 = 52 key bits. One pass usually meets the bound
 * (it shares pass 2 with other work); more are needed only for values differing in low bits.
 */
export const AUC_MAX_REFINE_PASSES = 6;

interface ClassNode {
  /** Each bin of this node holds a single value: its pairs are true ties, counted ½ exactly. */
  exact: boolean;
  bits: number;
  prefix: bigint;
  /** Bin of neg[0] and pos[0]: the root keeps only the span of its column's occupied buckets. */
  first: number;
  neg: Uint32Array;
  pos: Uint32Array;
  /** Refined bins, by bin. */
  children: Map<number, ClassNode>;
}

/**
 * Class separation of one column: the Mann–Whitney AUC, P(pos > neg) + ½ P(tie), from per-class
 * radix histograms. Pairs in different buckets are ordered exactly; pairs sharing a bucket count ½
 * until the bucket is refined (its next few bits, in a later pass of the same selector). Buckets with
 * the most mixed pairs are refined first, until the error bound (½ · mixed pairs sharing a finest
 * bucket / all pairs) is at most AUC_ERROR_TARGET, for at most AUC_MAX_REFINE_PASSES passes. A refined
 * bucket whose sub-bins turn out to hold a single value each is exact (their pairs are true ties, ½
 * each) and leaves the bound: a single-valued bucket, or one of a few values the sub-bins tell apart —
 * so a column of rounded values (integers) is settled by one level.
 */
export class ClassSeparation {
  private readonly root: ClassNode;
  private pending: Array<{ node: ClassNode; bin: number; handle: number }> = [];
  private passes = 0;
  readonly nPos: number;
  readonly nNeg: number;

  constructor(
    private readonly sel: OrderStatisticsSelector,
    readonly col: number,
    /** Buckets refined per pass at most (528 bytes of WASM memory each, for one pass). */
    private readonly maxPerPass = AUC_REFINE_PER_PASS,
  ) {
    // Buckets outside the occupied span are empty for both classes: leaving them out changes no sum.
    const all = sel.histogram(col);
    let first = 0;
    let end = BINS;
    while (first < end && all[first] === 0) first++;
    while (end > first && all[end - 1] === 0) end--;
    const { neg, pos } = sel.classHistograms(col, first, end);
    this.root = { exact: false, bits: 0, prefix: 0n, first, neg, pos, children: new Map() };
    let np = 0;
    let nn = 0;
    for (let b = 0; b < neg.length; b++) {
      np += pos[b]!;
      nn += neg[b]!;
    }
    this.nPos = np;
    this.nNeg = nn;
  }

  /** Adds refinement targets to the selector's next pass; false when the bound is already met. */
  planRefinement(): boolean {
    const { nPos, nNeg } = this;
    if (nPos === 0 || nNeg === 0 || this.passes >= AUC_MAX_REFINE_PASSES) return false;
    const leaves: Array<{ node: ClassNode; bin: number; w: number }> = [];
    const walk = (node: ClassNode) => {
      const width = node.bits === 0 ? 16 : CLASS_SUB_BITS;
      for (let i = 0; i < node.neg.length; i++) {
        // Only a bucket holding both classes can have been refined (a Map lookup per such bucket only).
        if (node.neg[i]! === 0 || node.pos[i]! === 0) continue;
        const child = node.children.get(node.first + i);
        if (child) walk(child);
        else if (!node.exact && node.bits + width <= 64 - CLASS_SUB_BITS) leaves.push({ node, bin: node.first + i, w: node.neg[i]! * node.pos[i]! });
      }
    };
    walk(this.root);
    let bound = this.errorBound();
    if (bound <= AUC_ERROR_TARGET || leaves.length === 0) return false;
    leaves.sort((a, b) => b.w - a.w);
    // Aim well below the target: a refined bucket keeps some tie mass, and another pass costs a read.
    for (const leaf of leaves.slice(0, this.maxPerPass)) {
      if (bound <= AUC_ERROR_TARGET / 2) break;
      const width = leaf.node.bits === 0 ? 16 : CLASS_SUB_BITS;
      const prefix = (leaf.node.prefix << BigInt(width)) | BigInt(leaf.bin);
      const bits = leaf.node.bits + width;
      this.pending.push({ node: leaf.node, bin: leaf.bin, handle: this.sel.addClassTarget(this.col, prefix, bits) });
      bound -= (0.5 * leaf.w) / (nPos * nNeg);
    }
    if (this.pending.length > 0) this.passes++;
    return this.pending.length > 0;
  }

  /** Reads the refined counts after the selector's pass (call after `finishPass`). */
  collect(): void {
    for (const { node, bin, handle } of this.pending) {
      const counts = this.sel.classCounts(handle);
      const width = node.bits === 0 ? 16 : CLASS_SUB_BITS;
      node.children.set(bin, {
        exact: this.sel.classSubBinsSingleValued(handle),
        bits: node.bits + width,
        prefix: (node.prefix << BigInt(width)) | BigInt(bin),
        first: 0,
        neg: counts.slice(0, CLASS_BINS),
        pos: counts.slice(CLASS_BINS),
        children: new Map(),
      });
    }
    this.pending = [];
  }

  /** The AUC (NaN when a class is empty). */
  auc(): number {
    if (this.nPos === 0 || this.nNeg === 0) return NaN;
    let num = 0;
    let negBelow = 0;
    const walk = (node: ClassNode) => {
      for (let i = 0; i < node.neg.length; i++) {
        const p = node.pos[i]!;
        const n = node.neg[i]!;
        if (p === 0 || n === 0) {
          // Not refined (one class only): no ties to split.
          num += p * negBelow;
          negBelow += n;
          continue;
        }
        const child = node.children.get(node.first + i);
        if (child) {
          walk(child);
          continue;
        }
        num += p * negBelow + 0.5 * p * n;
        negBelow += n;
      }
    };
    walk(this.root);
    return num / (this.nPos * this.nNeg);
  }

  /** Upper bound on |auc() - exact AUC|. */
  errorBound(): number {
    if (this.nPos === 0 || this.nNeg === 0) return 0;
    let ties = 0;
    const walk = (node: ClassNode) => {
      for (let i = 0; i < node.neg.length; i++) {
        if (node.neg[i]! === 0 || node.pos[i]! === 0) continue;
        const child = node.children.get(node.first + i);
        if (child) walk(child);
        else if (!node.exact) ties += node.pos[i]! * node.neg[i]!;
      }
    };
    walk(this.root);
    return (0.5 * ties) / (this.nPos * this.nNeg);
  }
}
