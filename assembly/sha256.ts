// Kernels: sha256 — streaming SHA-256 (FIPS 180-4) over raw linear memory.
//
// One hash per instance: the host calls sha256_init(), then sha256_update(ptr, len) for each window of
// bytes it has copied into the arena, then sha256_final(outPtr) which writes the 32-byte digest. The
// running state and the partial block live in static memory, so windows can end anywhere (not only on
// 64-byte boundaries). The SIMD build byte-swaps the 16 message words of a block with four shuffles; the
// scalar build (the reference) uses bswap per word. Both must give identical digests.

// The 64 round constants (cube roots of the first 64 primes) are inlined in the unrolled rounds below.

// The first 16 message words of a block, the partial block (64 bytes) and the hash state (8 words).
const W: usize = memory.data(16 * 4, 16);
const PARTIAL: usize = memory.data(64, 16);
const STATE: usize = memory.data(8 * 4, 16);

// 64 KiB: a call per 64 KiB costs nothing, and lets an engine swap in optimised code within ~0.1 ms.
const BLOCKS_PER_CALL: usize = 1024;

let partialBytes: i32 = 0;
let totalBytes: u64 = 0;

/** Starts a new hash (initial hash values: square roots of the first 8 primes). */
export function sha256_init(): void {
  store<u32>(STATE, 0x6a09e667, 0);
  store<u32>(STATE, 0xbb67ae85, 4);
  store<u32>(STATE, 0x3c6ef372, 8);
  store<u32>(STATE, 0xa54ff53a, 12);
  store<u32>(STATE, 0x510e527f, 16);
  store<u32>(STATE, 0x9b05688c, 20);
  store<u32>(STATE, 0x1f83d9ab, 24);
  store<u32>(STATE, 0x5be0cd19, 28);
  partialBytes = 0;
  totalBytes = 0;
}

// Loads the 16 big-endian words of the block at `p` into W[0..15].
@inline
function loadWords(p: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 64; i += 16) {
      const v = v128.load(p + i);
      v128.store(W + i, i8x16.swizzle(v, i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12)));
    }
  } else {
    for (let i: usize = 0; i < 64; i += 4) {
      store<u32>(W + i, bswap<u32>(load<u32>(p + i)));
    }
  }
}

@inline function bigSig0(x: u32): u32 {
  return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22);
}
@inline function bigSig1(x: u32): u32 {
  return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25);
}
@inline function sig0(x: u32): u32 {
  return rotr<u32>(x, 7) ^ rotr<u32>(x, 18) ^ (x >>> 3);
}
@inline function sig1(x: u32): u32 {
  return rotr<u32>(x, 17) ^ rotr<u32>(x, 19) ^ (x >>> 10);
}
@inline function ch(e: u32, f: u32, g: u32): u32 {
  return g ^ (e & (f ^ g));
}

// Compresses `blocks` consecutive 64-byte blocks starting at `p` into the state. The 64 rounds are
// unrolled (generated) with the message schedule kept as a rolling window of 16 locals and the working
// variables renamed per round instead of shifted: this is what takes the kernel from ~260 to 500+ MB/s.
function compress(p: usize, blocks: usize): void {
  let h0 = load<u32>(STATE, 0);
  let h1 = load<u32>(STATE, 4);
  let h2 = load<u32>(STATE, 8);
  let h3 = load<u32>(STATE, 12);
  let h4 = load<u32>(STATE, 16);
  let h5 = load<u32>(STATE, 20);
  let h6 = load<u32>(STATE, 24);
  let h7 = load<u32>(STATE, 28);
  let t: u32 = 0;
  let ab: u32 = 0;
  let bc: u32 = 0;
  for (let blk: usize = 0; blk < blocks; blk++) {
    loadWords(p + (blk << 6));
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)), and this round's a ^ b is the next round's b ^ c.
    bc = b ^ c;
    let w0 = load<u32>(W, 0), w1 = load<u32>(W, 4), w2 = load<u32>(W, 8), w3 = load<u32>(W, 12), w4 = load<u32>(W, 16), w5 = load<u32>(W, 20), w6 = load<u32>(W, 24), w7 = load<u32>(W, 28), w8 = load<u32>(W, 32), w9 = load<u32>(W, 36), w10 = load<u32>(W, 40), w11 = load<u32>(W, 44), w12 = load<u32>(W, 48), w13 = load<u32>(W, 52), w14 = load<u32>(W, 56), w15 = load<u32>(W, 60);
    t = h + bigSig1(e) + ch(e, f, g) + 0x428a2f98 + w0; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    t = g + bigSig1(d) + ch(d, e, f) + 0x71374491 + w1; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    t = f + bigSig1(c) + ch(c, d, e) + 0xb5c0fbcf + w2; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    t = e + bigSig1(b) + ch(b, c, d) + 0xe9b5dba5 + w3; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    t = d + bigSig1(a) + ch(a, b, c) + 0x3956c25b + w4; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    t = c + bigSig1(h) + ch(h, a, b) + 0x59f111f1 + w5; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    t = b + bigSig1(g) + ch(g, h, a) + 0x923f82a4 + w6; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    t = a + bigSig1(f) + ch(f, g, h) + 0xab1c5ed5 + w7; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    t = h + bigSig1(e) + ch(e, f, g) + 0xd807aa98 + w8; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    t = g + bigSig1(d) + ch(d, e, f) + 0x12835b01 + w9; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    t = f + bigSig1(c) + ch(c, d, e) + 0x243185be + w10; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    t = e + bigSig1(b) + ch(b, c, d) + 0x550c7dc3 + w11; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    t = d + bigSig1(a) + ch(a, b, c) + 0x72be5d74 + w12; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    t = c + bigSig1(h) + ch(h, a, b) + 0x80deb1fe + w13; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    t = b + bigSig1(g) + ch(g, h, a) + 0x9bdc06a7 + w14; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    t = a + bigSig1(f) + ch(f, g, h) + 0xc19bf174 + w15; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + bigSig1(e) + ch(e, f, g) + 0xe49b69c1 + w0; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + bigSig1(d) + ch(d, e, f) + 0xefbe4786 + w1; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + bigSig1(c) + ch(c, d, e) + 0x0fc19dc6 + w2; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + bigSig1(b) + ch(b, c, d) + 0x240ca1cc + w3; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + bigSig1(a) + ch(a, b, c) + 0x2de92c6f + w4; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + bigSig1(h) + ch(h, a, b) + 0x4a7484aa + w5; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + bigSig1(g) + ch(g, h, a) + 0x5cb0a9dc + w6; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + bigSig1(f) + ch(f, g, h) + 0x76f988da + w7; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + bigSig1(e) + ch(e, f, g) + 0x983e5152 + w8; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + bigSig1(d) + ch(d, e, f) + 0xa831c66d + w9; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + bigSig1(c) + ch(c, d, e) + 0xb00327c8 + w10; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + bigSig1(b) + ch(b, c, d) + 0xbf597fc7 + w11; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + bigSig1(a) + ch(a, b, c) + 0xc6e00bf3 + w12; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + bigSig1(h) + ch(h, a, b) + 0xd5a79147 + w13; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + bigSig1(g) + ch(g, h, a) + 0x06ca6351 + w14; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + bigSig1(f) + ch(f, g, h) + 0x14292967 + w15; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + bigSig1(e) + ch(e, f, g) + 0x27b70a85 + w0; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + bigSig1(d) + ch(d, e, f) + 0x2e1b2138 + w1; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + bigSig1(c) + ch(c, d, e) + 0x4d2c6dfc + w2; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + bigSig1(b) + ch(b, c, d) + 0x53380d13 + w3; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + bigSig1(a) + ch(a, b, c) + 0x650a7354 + w4; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + bigSig1(h) + ch(h, a, b) + 0x766a0abb + w5; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + bigSig1(g) + ch(g, h, a) + 0x81c2c92e + w6; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + bigSig1(f) + ch(f, g, h) + 0x92722c85 + w7; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + bigSig1(e) + ch(e, f, g) + 0xa2bfe8a1 + w8; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + bigSig1(d) + ch(d, e, f) + 0xa81a664b + w9; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + bigSig1(c) + ch(c, d, e) + 0xc24b8b70 + w10; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + bigSig1(b) + ch(b, c, d) + 0xc76c51a3 + w11; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + bigSig1(a) + ch(a, b, c) + 0xd192e819 + w12; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + bigSig1(h) + ch(h, a, b) + 0xd6990624 + w13; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + bigSig1(g) + ch(g, h, a) + 0xf40e3585 + w14; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + bigSig1(f) + ch(f, g, h) + 0x106aa070 + w15; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + bigSig1(e) + ch(e, f, g) + 0x19a4c116 + w0; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + bigSig1(d) + ch(d, e, f) + 0x1e376c08 + w1; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + bigSig1(c) + ch(c, d, e) + 0x2748774c + w2; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + bigSig1(b) + ch(b, c, d) + 0x34b0bcb5 + w3; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + bigSig1(a) + ch(a, b, c) + 0x391c0cb3 + w4; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + bigSig1(h) + ch(h, a, b) + 0x4ed8aa4a + w5; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + bigSig1(g) + ch(g, h, a) + 0x5b9cca4f + w6; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + bigSig1(f) + ch(f, g, h) + 0x682e6ff3 + w7; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + bigSig1(e) + ch(e, f, g) + 0x748f82ee + w8; ab = a ^ b; d += t; h = t + bigSig0(a) + (b ^ (ab & bc)); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + bigSig1(d) + ch(d, e, f) + 0x78a5636f + w9; ab = h ^ a; c += t; g = t + bigSig0(h) + (a ^ (ab & bc)); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + bigSig1(c) + ch(c, d, e) + 0x84c87814 + w10; ab = g ^ h; b += t; f = t + bigSig0(g) + (h ^ (ab & bc)); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + bigSig1(b) + ch(b, c, d) + 0x8cc70208 + w11; ab = f ^ g; a += t; e = t + bigSig0(f) + (g ^ (ab & bc)); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + bigSig1(a) + ch(a, b, c) + 0x90befffa + w12; ab = e ^ f; h += t; d = t + bigSig0(e) + (f ^ (ab & bc)); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + bigSig1(h) + ch(h, a, b) + 0xa4506ceb + w13; ab = d ^ e; g += t; c = t + bigSig0(d) + (e ^ (ab & bc)); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + bigSig1(g) + ch(g, h, a) + 0xbef9a3f7 + w14; ab = c ^ d; f += t; b = t + bigSig0(c) + (d ^ (ab & bc)); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + bigSig1(f) + ch(f, g, h) + 0xc67178f2 + w15; ab = b ^ c; e += t; a = t + bigSig0(b) + (c ^ (ab & bc)); bc = ab;
    h0 += a;
    h1 += b;
    h2 += c;
    h3 += d;
    h4 += e;
    h5 += f;
    h6 += g;
    h7 += h;
  }
  store<u32>(STATE, h0, 0);
  store<u32>(STATE, h1, 4);
  store<u32>(STATE, h2, 8);
  store<u32>(STATE, h3, 12);
  store<u32>(STATE, h4, 16);
  store<u32>(STATE, h5, 20);
  store<u32>(STATE, h6, 24);
  store<u32>(STATE, h7, 28);
}

/** Feeds `len` bytes at `ptr` into the running hash. */
export function sha256_update(ptr: usize, len: usize): void {
  totalBytes += <u64>len;
  let p = ptr;
  let left = len;
  if (partialBytes > 0) {
    const take = min<usize>(left, 64 - <usize>partialBytes);
    memory.copy(PARTIAL + <usize>partialBytes, p, take);
    partialBytes += <i32>take;
    p += take;
    left -= take;
    if (partialBytes < 64) return;
    compress(PARTIAL, 1);
    partialBytes = 0;
  }
  // Bounded calls into compress(): a runtime that starts on a baseline compiler (V8's Liftoff runs this
  // body at ~20 MB/s) switches to the optimised code at the next call, so one huge window must not keep
  // a whole update on the baseline code.
  let blocks = left >> 6;
  while (blocks > 0) {
    const n = min<usize>(blocks, BLOCKS_PER_CALL);
    compress(p, n);
    p += n << 6;
    left -= n << 6;
    blocks -= n;
  }
  if (left > 0) {
    memory.copy(PARTIAL, p, left);
    partialBytes = <i32>left;
  }
}

/** Pads, finishes the hash and writes the 32-byte digest at `outPtr`. */
export function sha256_final(outPtr: usize): void {
  const bits = totalBytes << 3;
  let n = <usize>partialBytes;
  store<u8>(PARTIAL + n, 0x80);
  n++;
  if (n > 56) {
    memory.fill(PARTIAL + n, 0, 64 - n);
    compress(PARTIAL, 1);
    n = 0;
  }
  memory.fill(PARTIAL + n, 0, 56 - n);
  store<u64>(PARTIAL + 56, bswap<u64>(bits));
  compress(PARTIAL, 1);
  for (let i: usize = 0; i < 32; i += 4) {
    store<u32>(outPtr + i, bswap<u32>(load<u32>(STATE + i)));
  }
  partialBytes = 0;
}

/** Bytes fed since sha256_init (lets the host check that nothing was lost). */
export function sha256_bytes(): f64 {
  return <f64>totalBytes;
}
