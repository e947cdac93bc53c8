// Kernels: sha256 — streaming SHA-256 (FIPS 180-4) over raw linear memory.
//
// One hash per instance: the host calls sha256_init(), then sha256_update(ptr, len) for each window of
// bytes it has copied into the arena, then sha256_final(outPtr) which writes the 32-byte digest. The
// running state and the partial block live in static memory, so windows can end anywhere (not only on
// 64-byte boundaries). The SIMD build computes the message schedule four words at a time in v128
// registers, interleaved with the scalar rounds (compressSimd); the scalar build (compressScalar, the
// reference) keeps it in 16 locals. Both must give identical digests (tests compare both with node:crypto).

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

// The reference compress(): `blocks` consecutive 64-byte blocks at `p` into the state. The 64 rounds are
// unrolled (generated) with the message schedule kept as a rolling window of 16 locals and the working
// variables renamed per round instead of shifted. Each round adds the terms that do not depend on the
// newest `e` first (h + K + W, then Ch, then Sigma1(e)) and sums Sigma0(a) + Maj apart from t: engines do
// not reassociate integer adds, and this order shortens the dependency chain per round (+10-15%).
function compressScalar(p: usize, blocks: usize): void {
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
    t = h + 0x428a2f98 + w0 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + 0x71374491 + w1 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + 0xb5c0fbcf + w2 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + 0xe9b5dba5 + w3 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    t = d + 0x3956c25b + w4 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + 0x59f111f1 + w5 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + 0x923f82a4 + w6 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + 0xab1c5ed5 + w7 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    t = h + 0xd807aa98 + w8 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + 0x12835b01 + w9 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + 0x243185be + w10 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + 0x550c7dc3 + w11 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    t = d + 0x72be5d74 + w12 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + 0x80deb1fe + w13 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + 0x9bdc06a7 + w14 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + 0xc19bf174 + w15 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + 0xe49b69c1 + w0 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + 0xefbe4786 + w1 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + 0x0fc19dc6 + w2 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + 0x240ca1cc + w3 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + 0x2de92c6f + w4 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + 0x4a7484aa + w5 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + 0x5cb0a9dc + w6 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + 0x76f988da + w7 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + 0x983e5152 + w8 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + 0xa831c66d + w9 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + 0xb00327c8 + w10 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + 0xbf597fc7 + w11 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + 0xc6e00bf3 + w12 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + 0xd5a79147 + w13 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + 0x06ca6351 + w14 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + 0x14292967 + w15 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + 0x27b70a85 + w0 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + 0x2e1b2138 + w1 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + 0x4d2c6dfc + w2 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + 0x53380d13 + w3 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + 0x650a7354 + w4 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + 0x766a0abb + w5 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + 0x81c2c92e + w6 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + 0x92722c85 + w7 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + 0xa2bfe8a1 + w8 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + 0xa81a664b + w9 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + 0xc24b8b70 + w10 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + 0xc76c51a3 + w11 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + 0xd192e819 + w12 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + 0xd6990624 + w13 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + 0xf40e3585 + w14 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + 0x106aa070 + w15 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w0 += sig0(w1) + w9 + sig1(w14);
    t = h + 0x19a4c116 + w0 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w1 += sig0(w2) + w10 + sig1(w15);
    t = g + 0x1e376c08 + w1 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w2 += sig0(w3) + w11 + sig1(w0);
    t = f + 0x2748774c + w2 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w3 += sig0(w4) + w12 + sig1(w1);
    t = e + 0x34b0bcb5 + w3 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w4 += sig0(w5) + w13 + sig1(w2);
    t = d + 0x391c0cb3 + w4 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w5 += sig0(w6) + w14 + sig1(w3);
    t = c + 0x4ed8aa4a + w5 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w6 += sig0(w7) + w15 + sig1(w4);
    t = b + 0x5b9cca4f + w6 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w7 += sig0(w8) + w0 + sig1(w5);
    t = a + 0x682e6ff3 + w7 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    w8 += sig0(w9) + w1 + sig1(w6);
    t = h + 0x748f82ee + w8 + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    w9 += sig0(w10) + w2 + sig1(w7);
    t = g + 0x78a5636f + w9 + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    w10 += sig0(w11) + w3 + sig1(w8);
    t = f + 0x84c87814 + w10 + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    w11 += sig0(w12) + w4 + sig1(w9);
    t = e + 0x8cc70208 + w11 + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    w12 += sig0(w13) + w5 + sig1(w10);
    t = d + 0x90befffa + w12 + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    w13 += sig0(w14) + w6 + sig1(w11);
    t = c + 0xa4506ceb + w13 + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    w14 += sig0(w15) + w7 + sig1(w12);
    t = b + 0xbef9a3f7 + w14 + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    w15 += sig0(w0) + w8 + sig1(w13);
    t = a + 0xc67178f2 + w15 + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
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

// The 64 round constants, for the SIMD schedule (which adds them four at a time).
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
], 16);
// W[t] + K[t] for the 64 rounds of the current block (SIMD build).
const WK: usize = memory.data(64 * 4, 16);

@inline function rotrX4(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}
@inline function sig0X4(x: v128): v128 {
  return v128.xor(v128.xor(rotrX4(x, 7), rotrX4(x, 18)), i32x4.shr_u(x, 3));
}
@inline function sig1X4(x: v128): v128 {
  return v128.xor(v128.xor(rotrX4(x, 17), rotrX4(x, 19)), i32x4.shr_u(x, 10));
}

// The next four schedule words W[t..t+3] from x0..x3 = W[t-16..t-1]. W[t] needs sig1(W[t-2]), so the
// group is made in two halves: lanes 0-1 from x3, then lanes 2-3 from the two words just made.
@inline
function scheduleX4(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  // W[t-15..t-12] and W[t-7..t-4]: one word further on than x0 and x2.
  const w15 = i8x16.shuffle(x0, x1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  const w7 = i8x16.shuffle(x2, x3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  const partial = i32x4.add(i32x4.add(x0, sig0X4(w15)), w7);
  const lo = i32x4.add(partial, sig1X4(i8x16.shuffle(x3, x3, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15)));
  const hi = i32x4.add(partial, sig1X4(i8x16.shuffle(lo, lo, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7)));
  return i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31);
}

// The SIMD build's compress(): the message schedule four words at a time in v128 locals, each group made
// (and W + K stored to WK) four rounds ahead of its use and interleaved with the scalar rounds, so that
// the CPU overlaps the two. Same digest as compressScalar, which stays the reference.
function compressSimd(p: usize, blocks: usize): void {
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
  let x0 = i32x4.splat(0), x1 = i32x4.splat(0), x2 = i32x4.splat(0), x3 = i32x4.splat(0);
  for (let blk: usize = 0; blk < blocks; blk++) {
    const q = p + (blk << 6);
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    bc = b ^ c;
    x0 = i8x16.swizzle(v128.load(q, 0), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    v128.store(WK, i32x4.add(x0, v128.load(K, 0)), 0);
    x1 = i8x16.swizzle(v128.load(q, 16), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    v128.store(WK, i32x4.add(x1, v128.load(K, 16)), 16);
    x2 = i8x16.swizzle(v128.load(q, 32), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    v128.store(WK, i32x4.add(x2, v128.load(K, 32)), 32);
    x3 = i8x16.swizzle(v128.load(q, 48), i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    v128.store(WK, i32x4.add(x3, v128.load(K, 48)), 48);
    t = h + load<u32>(WK, 0) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 4) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 8) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 12) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x0 = scheduleX4(x0, x1, x2, x3);
    v128.store(WK, i32x4.add(x0, v128.load(K, 64)), 64);
    t = d + load<u32>(WK, 16) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 20) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 24) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 28) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x1 = scheduleX4(x1, x2, x3, x0);
    v128.store(WK, i32x4.add(x1, v128.load(K, 80)), 80);
    t = h + load<u32>(WK, 32) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 36) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 40) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 44) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x2 = scheduleX4(x2, x3, x0, x1);
    v128.store(WK, i32x4.add(x2, v128.load(K, 96)), 96);
    t = d + load<u32>(WK, 48) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 52) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 56) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 60) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x3 = scheduleX4(x3, x0, x1, x2);
    v128.store(WK, i32x4.add(x3, v128.load(K, 112)), 112);
    t = h + load<u32>(WK, 64) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 68) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 72) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 76) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x0 = scheduleX4(x0, x1, x2, x3);
    v128.store(WK, i32x4.add(x0, v128.load(K, 128)), 128);
    t = d + load<u32>(WK, 80) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 84) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 88) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 92) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x1 = scheduleX4(x1, x2, x3, x0);
    v128.store(WK, i32x4.add(x1, v128.load(K, 144)), 144);
    t = h + load<u32>(WK, 96) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 100) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 104) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 108) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x2 = scheduleX4(x2, x3, x0, x1);
    v128.store(WK, i32x4.add(x2, v128.load(K, 160)), 160);
    t = d + load<u32>(WK, 112) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 116) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 120) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 124) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x3 = scheduleX4(x3, x0, x1, x2);
    v128.store(WK, i32x4.add(x3, v128.load(K, 176)), 176);
    t = h + load<u32>(WK, 128) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 132) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 136) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 140) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x0 = scheduleX4(x0, x1, x2, x3);
    v128.store(WK, i32x4.add(x0, v128.load(K, 192)), 192);
    t = d + load<u32>(WK, 144) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 148) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 152) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 156) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x1 = scheduleX4(x1, x2, x3, x0);
    v128.store(WK, i32x4.add(x1, v128.load(K, 208)), 208);
    t = h + load<u32>(WK, 160) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 164) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 168) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 172) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    x2 = scheduleX4(x2, x3, x0, x1);
    v128.store(WK, i32x4.add(x2, v128.load(K, 224)), 224);
    t = d + load<u32>(WK, 176) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 180) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 184) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 188) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    x3 = scheduleX4(x3, x0, x1, x2);
    v128.store(WK, i32x4.add(x3, v128.load(K, 240)), 240);
    t = h + load<u32>(WK, 192) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 196) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 200) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 204) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    t = d + load<u32>(WK, 208) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 212) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 216) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 220) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
    t = h + load<u32>(WK, 224) + ch(e, f, g) + bigSig1(e); ab = a ^ b; d += t; h = t + (bigSig0(a) + (b ^ (ab & bc))); bc = ab;
    t = g + load<u32>(WK, 228) + ch(d, e, f) + bigSig1(d); ab = h ^ a; c += t; g = t + (bigSig0(h) + (a ^ (ab & bc))); bc = ab;
    t = f + load<u32>(WK, 232) + ch(c, d, e) + bigSig1(c); ab = g ^ h; b += t; f = t + (bigSig0(g) + (h ^ (ab & bc))); bc = ab;
    t = e + load<u32>(WK, 236) + ch(b, c, d) + bigSig1(b); ab = f ^ g; a += t; e = t + (bigSig0(f) + (g ^ (ab & bc))); bc = ab;
    t = d + load<u32>(WK, 240) + ch(a, b, c) + bigSig1(a); ab = e ^ f; h += t; d = t + (bigSig0(e) + (f ^ (ab & bc))); bc = ab;
    t = c + load<u32>(WK, 244) + ch(h, a, b) + bigSig1(h); ab = d ^ e; g += t; c = t + (bigSig0(d) + (e ^ (ab & bc))); bc = ab;
    t = b + load<u32>(WK, 248) + ch(g, h, a) + bigSig1(g); ab = c ^ d; f += t; b = t + (bigSig0(c) + (d ^ (ab & bc))); bc = ab;
    t = a + load<u32>(WK, 252) + ch(f, g, h) + bigSig1(f); ab = b ^ c; e += t; a = t + (bigSig0(b) + (c ^ (ab & bc))); bc = ab;
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

// Compresses `blocks` consecutive 64-byte blocks starting at `p` into the state.
function compress(p: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) {
    compressSimd(p, blocks);
  } else {
    compressScalar(p, blocks);
  }
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
