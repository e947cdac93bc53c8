// A bump allocator over linear memory. The host asks for scratch space per job and resets it after;
// no managed objects cross the boundary.
let top: usize = 0;

/** Base of the scratch area: everything below belongs to static data. */
function base(): usize {
  return (__heap_base + 15) & ~15;
}

/** Reserves `bytes` (16-byte aligned) and returns the pointer; grows memory when needed. */
export function alloc(bytes: usize): usize {
  if (top == 0) top = base();
  const ptr = top;
  const end = (ptr + bytes + 15) & ~15;
  const have = <usize>memory.size() << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  return ptr;
}

/** Frees everything allocated since the start (one job = one arena). */
export function resetArena(): void {
  top = base();
}

/** The arena's current end (a pointer), for resetArenaTo. */
export function arenaMark(): usize {
  if (top == 0) top = base();
  return top;
}

/** Frees everything allocated since `mark` (from arenaMark). */
export function resetArenaTo(mark: usize): void {
  top = mark;
}

/** Bytes currently reserved in the arena. */
export function arenaBytes(): usize {
  return top == 0 ? 0 : top - base();
}
