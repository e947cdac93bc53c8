/**
 * scikit-learn 1.2's KDTree(leaf_size=30) k-nearest query, reproduced step for step so that rows whose
 * neighbours tie in distance get sklearn's order. sklearn's NearestNeighbors uses this tree when
 * d ≤ 15 and k + 1 < m // 2; the WASM brute-force search finds every row's neighbours and flags the
 * rows with a distance tie at or inside the k-th place (all other rows have one possible answer), and
 * only those rows are queried here.
 *
 * What decides the order of tied rows, and is reproduced:
 * - the tree: n_levels = int(log2(max(1, (m − 1) / 30))) + 1, nodes split at n // 2 along the dimension
 *   of largest spread (first on ties) by `std::nth_element` (libstdc++'s introselect) with sklearn's
 *   comparator (value, then index);
 * - the query: depth first, the child with the smaller lower bound first (left on equal bounds),
 *   leaf points in tree order, sklearn's heap_push and simultaneous_sort (see assembly/smote.ts).
 */

const LEAF_SIZE = 30;

type Less = (a: number, b: number) => boolean;

// libstdc++ std::__move_median_to_first.
function moveMedianToFirst(v: Int32Array, result: number, a: number, b: number, c: number, less: Less): void {
  let pick: number;
  if (less(v[a]!, v[b]!)) {
    if (less(v[b]!, v[c]!)) pick = b;
    else if (less(v[a]!, v[c]!)) pick = c;
    else pick = a;
  } else if (less(v[a]!, v[c]!)) pick = a;
  else if (less(v[b]!, v[c]!)) pick = c;
  else pick = b;
  const t = v[result]!;
  v[result] = v[pick]!;
  v[pick] = t;
}

// libstdc++ std::__unguarded_partition around the pivot at `pivot`; returns the cut.
function unguardedPartition(v: Int32Array, first: number, last: number, pivot: number, less: Less): number {
  for (;;) {
    while (less(v[first]!, v[pivot]!)) first++;
    last--;
    while (less(v[pivot]!, v[last]!)) last--;
    if (!(first < last)) return first;
    const t = v[first]!;
    v[first] = v[last]!;
    v[last] = t;
    first++;
  }
}

// libstdc++ std::__insertion_sort.
function insertionSort(v: Int32Array, first: number, last: number, less: Less): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    const val = v[i]!;
    if (less(val, v[first]!)) {
      v.copyWithin(first + 1, first, i);
      v[first] = val;
    } else {
      let hole = i;
      let next = i - 1;
      while (less(val, v[next]!)) {
        v[hole] = v[next]!;
        hole = next;
        next--;
      }
      v[hole] = val;
    }
  }
}

// libstdc++ std::__adjust_heap / __push_heap on v[first..first+len) (max-heap by `less`).
function adjustHeap(v: Int32Array, first: number, holeIndex: number, len: number, value: number, less: Less): void {
  const top = holeIndex;
  let second = holeIndex;
  while (second < Math.floor((len - 1) / 2)) {
    second = 2 * (second + 1);
    if (less(v[first + second]!, v[first + second - 1]!)) second--;
    v[first + holeIndex] = v[first + second]!;
    holeIndex = second;
  }
  if ((len & 1) === 0 && second === Math.floor((len - 2) / 2)) {
    second = 2 * (second + 1);
    v[first + holeIndex] = v[first + second - 1]!;
    holeIndex = second - 1;
  }
  let parent = Math.floor((holeIndex - 1) / 2);
  while (holeIndex > top && less(v[first + parent]!, value)) {
    v[first + holeIndex] = v[first + parent]!;
    holeIndex = parent;
    parent = Math.floor((holeIndex - 1) / 2);
  }
  v[first + holeIndex] = value;
}

// libstdc++ std::__heap_select (used when introselect runs out of depth).
function heapSelect(v: Int32Array, first: number, middle: number, last: number, less: Less): void {
  const len = middle - first;
  if (len >= 2) {
    for (let parent = Math.floor((len - 2) / 2); ; parent--) {
      adjustHeap(v, first, parent, len, v[first + parent]!, less);
      if (parent === 0) break;
    }
  }
  for (let i = middle; i < last; i++) {
    if (less(v[i]!, v[first]!)) {
      const value = v[i]!;
      v[i] = v[first]!;
      adjustHeap(v, first, 0, len, value, less);
    }
  }
}

/** libstdc++'s std::nth_element(v + first, v + nth, v + last, less). */
export function nthElement(v: Int32Array, first: number, nth: number, last: number, less: Less): void {
  if (first === last || nth === last) return;
  let depthLimit = 2 * (31 - Math.clz32(last - first)); // 2 × std::__lg(n)
  while (last - first > 3) {
    if (depthLimit === 0) {
      heapSelect(v, first, nth + 1, last, less);
      const t = v[first]!;
      v[first] = v[nth]!;
      v[nth] = t;
      return;
    }
    depthLimit--;
    const mid = first + Math.floor((last - first) / 2);
    moveMedianToFirst(v, first, first + 1, mid, last - 1, less);
    const cut = unguardedPartition(v, first + 1, last, first, less);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(v, first, last, less);
}

/** sklearn's KDTree over the rows of x (m × d), built exactly as sklearn 1.2 builds it. */
export class SklearnKdTree {
  readonly order: Int32Array;
  private readonly nNodes: number;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly leaf: Uint8Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;

  constructor(
    private readonly x: Float64Array,
    private readonly m: number,
    private readonly d: number,
  ) {
    const nLevels = Math.trunc(Math.log2(Math.max(1, (m - 1) / LEAF_SIZE))) + 1;
    this.nNodes = 2 ** nLevels - 1;
    this.order = new Int32Array(m).map((_, i) => i);
    this.start = new Int32Array(this.nNodes);
    this.end = new Int32Array(this.nNodes);
    this.leaf = new Uint8Array(this.nNodes);
    this.lower = new Float64Array(this.nNodes * d);
    this.upper = new Float64Array(this.nNodes * d);
    this.build(0, 0, m);
  }

  private build(node: number, start: number, end: number): void {
    const { x, d, order } = this;
    this.start[node] = start;
    this.end[node] = end;
    for (let j = 0; j < d; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = x[order[i]! * d + j]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      this.lower[node * d + j] = lo;
      this.upper[node * d + j] = hi;
    }
    if (2 * node + 1 >= this.nNodes || end - start < 2) {
      this.leaf[node] = 1;
      return;
    }
    // Split dimension: largest max − min, the first one on ties (spread must exceed 0 to move off 0).
    let splitDim = 0;
    let maxSpread = 0;
    for (let j = 0; j < d; j++) {
      const spread = this.upper[node * d + j]! - this.lower[node * d + j]!;
      if (spread > maxSpread) {
        maxSpread = spread;
        splitDim = j;
      }
    }
    const half = Math.trunc((end - start) / 2);
    const less: Less = (a, b) => {
      const va = x[a * d + splitDim]!;
      const vb = x[b * d + splitDim]!;
      return va === vb ? a < b : va < vb;
    };
    nthElement(order, start, start + half, end, less);
    this.build(2 * node + 1, start, start + half);
    this.build(2 * node + 2, start + half, end);
  }

  // sklearn's KD min_rdist: per dimension ((lo − p) + |lo − p| + (p − hi) + |p − hi|) / 2, squared.
  private minRdist(node: number, x: Float64Array, row: number): number {
    const d = this.d;
    let r = 0;
    for (let j = 0; j < d; j++) {
      const p = x[row * d + j]!;
      const dLo = this.lower[node * d + j]! - p;
      const dHi = p - this.upper[node * d + j]!;
      const g = 0.5 * (dLo + Math.abs(dLo) + (dHi + Math.abs(dHi)));
      r += g * g;
    }
    return r;
  }

  /** The K nearest rows of row `row` (itself included) in sklearn's order. */
  query(row: number, K: number): Int32Array {
    const vals = new Float64Array(K).fill(Infinity);
    const idx = new Int32Array(K);
    const { x, d, order } = this;
    const visit = (node: number, bound: number): void => {
      if (bound > vals[0]!) return;
      if (this.leaf[node]) {
        for (let i = this.start[node]!; i < this.end[node]!; i++) {
          const cand = order[i]!;
          let s = 0;
          for (let j = 0; j < d; j++) {
            const t = x[row * d + j]! - x[cand * d + j]!;
            s += t * t;
          }
          heapPush(vals, idx, s, cand);
        }
        return;
      }
      const left = 2 * node + 1;
      const right = left + 1;
      const bLeft = this.minRdist(left, x, row);
      const bRight = this.minRdist(right, x, row);
      if (bLeft <= bRight) {
        visit(left, bLeft);
        visit(right, bRight);
      } else {
        visit(right, bRight);
        visit(left, bLeft);
      }
    };
    visit(0, this.minRdist(0, x, row));
    simultaneousSort(vals, idx, 0, K);
    return idx;
  }
}

// sklearn.utils._heap.heap_push on typed arrays.
function heapPush(vals: Float64Array, idx: Int32Array, val: number, j: number): void {
  const size = vals.length;
  if (val >= vals[0]!) return;
  let cur = 0;
  for (;;) {
    const left = 2 * cur + 1;
    const right = left + 1;
    let swap: number;
    if (left >= size) break;
    if (right >= size) {
      if (vals[left]! > val) swap = left;
      else break;
    } else if (vals[left]! >= vals[right]!) {
      if (val < vals[left]!) swap = left;
      else break;
    } else {
      if (val < vals[right]!) swap = right;
      else break;
    }
    vals[cur] = vals[swap]!;
    idx[cur] = idx[swap]!;
    cur = swap;
  }
  vals[cur] = val;
  idx[cur] = j;
}

function dualSwap(vals: Float64Array, idx: Int32Array, a: number, b: number): void {
  const v = vals[a]!;
  vals[a] = vals[b]!;
  vals[b] = v;
  const i = idx[a]!;
  idx[a] = idx[b]!;
  idx[b] = i;
}

// sklearn.utils._sorting.simultaneous_sort on vals/idx[lo .. lo + size).
function simultaneousSort(vals: Float64Array, idx: Int32Array, lo: number, size: number): void {
  if (size <= 1) return;
  if (size === 2) {
    if (vals[lo]! > vals[lo + 1]!) dualSwap(vals, idx, lo, lo + 1);
  } else if (size === 3) {
    if (vals[lo]! > vals[lo + 1]!) dualSwap(vals, idx, lo, lo + 1);
    if (vals[lo + 1]! > vals[lo + 2]!) {
      dualSwap(vals, idx, lo + 1, lo + 2);
      if (vals[lo]! > vals[lo + 1]!) dualSwap(vals, idx, lo, lo + 1);
    }
  } else {
    const mid = lo + (size >> 1);
    const last = lo + size - 1;
    if (vals[lo]! > vals[last]!) dualSwap(vals, idx, lo, last);
    if (vals[last]! > vals[mid]!) {
      dualSwap(vals, idx, last, mid);
      if (vals[lo]! > vals[last]!) dualSwap(vals, idx, lo, last);
    }
    const pivot = vals[last]!;
    let store = lo;
    for (let i = lo; i < last; i++) {
      if (vals[i]! < pivot) {
        dualSwap(vals, idx, i, store);
        store++;
      }
    }
    dualSwap(vals, idx, store, last);
    const left = store - lo;
    if (left > 1) simultaneousSort(vals, idx, lo, left);
    if (left + 2 < size) simultaneousSort(vals, idx, store + 1, size - left - 1);
  }
}
