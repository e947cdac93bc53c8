/**
 * A tiny zip writer for tests: builds archives numpy would not (zip64 records forced, huge virtual
 * offsets, comments, other methods, encryption flags) so the reader's edge cases can be exercised.
 * CRCs come from node:zlib, independent of the reader's own CRC-32.
 */
import { deflateSync } from 'fflate';
import { crc32 } from 'node:zlib';
import type { ByteSource } from '../../src/core/source';

export interface BuildEntry {
  name: string;
  data: Uint8Array;
  method?: 0 | 8;
  flags?: number;
  /** Written instead of the real CRC-32 (to test the check). */
  crc?: number;
}

export interface BuildOptions {
  /** Write 0xFFFFFFFF sizes/offsets + zip64 extra fields, a zip64 end record and locator. */
  zip64?: boolean;
  comment?: Uint8Array;
  /** All offsets written into the archive are shifted by this (see `shiftedSource`). */
  offsetShift?: number;
}

class Writer {
  parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  u16(v: number) {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, v, true);
    this.bytes(b);
  }
  u32(v: number) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    this.bytes(b);
  }
  u64(v: number) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    this.bytes(b);
  }
  concat(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Builds a zip archive from `entries`. */
export function buildZip(entries: BuildEntry[], opts: BuildOptions = {}): Uint8Array {
  const shift = opts.offsetShift ?? 0;
  const w = new Writer();
  const central: Array<{ e: BuildEntry; stored: Uint8Array; offset: number }> = [];
  for (const e of entries) {
    const stored = (e.method ?? 0) === 8 ? deflateSync(e.data) : e.data;
    const name = new TextEncoder().encode(e.name);
    central.push({ e, stored, offset: w.length + shift });
    w.u32(0x04034b50);
    w.u16(45);
    w.u16((e.flags ?? 0) | 0x0800);
    w.u16(e.method ?? 0);
    w.u16(0);
    w.u16(0);
    w.u32(e.crc ?? crc32(e.data));
    w.u32(opts.zip64 ? 0xffffffff : stored.length);
    w.u32(opts.zip64 ? 0xffffffff : e.data.length);
    w.u16(name.length);
    w.u16(opts.zip64 ? 20 : 0);
    w.bytes(name);
    if (opts.zip64) {
      w.u16(1);
      w.u16(16);
      w.u64(e.data.length);
      w.u64(stored.length);
    }
    w.bytes(stored);
  }
  const directoryStart = w.length + shift;
  for (const { e, stored, offset } of central) {
    const name = new TextEncoder().encode(e.name);
    w.u32(0x02014b50);
    w.u16(45);
    w.u16(45);
    w.u16((e.flags ?? 0) | 0x0800);
    w.u16(e.method ?? 0);
    w.u16(0);
    w.u16(0);
    w.u32(e.crc ?? crc32(e.data));
    w.u32(opts.zip64 ? 0xffffffff : stored.length);
    w.u32(opts.zip64 ? 0xffffffff : e.data.length);
    w.u16(name.length);
    // An unrelated extra field first, so the reader has to walk to the zip64 one.
    w.u16(opts.zip64 ? 8 + 28 : 0);
    w.u16(0);
    w.u16(0);
    w.u16(0);
    w.u32(0);
    w.u32(opts.zip64 ? 0xffffffff : offset);
    w.bytes(name);
    if (opts.zip64) {
      w.u16(0x5455);
      w.u16(4);
      w.u32(0x12345678);
      w.u16(1);
      w.u16(24);
      w.u64(e.data.length);
      w.u64(stored.length);
      w.u64(offset);
    }
  }
  const directorySize = w.length + shift - directoryStart;
  if (opts.zip64) {
    const recordAt = w.length + shift;
    w.u32(0x06064b50);
    w.u64(44);
    w.u16(45);
    w.u16(45);
    w.u32(0);
    w.u32(0);
    w.u64(entries.length);
    w.u64(entries.length);
    w.u64(directorySize);
    w.u64(directoryStart);
    w.u32(0x07064b50);
    w.u32(0);
    w.u64(recordAt);
    w.u32(1);
  }
  const comment = opts.comment ?? new Uint8Array(0);
  w.u32(0x06054b50);
  w.u16(0);
  w.u16(0);
  w.u16(opts.zip64 ? 0xffff : entries.length);
  w.u16(opts.zip64 ? 0xffff : entries.length);
  w.u32(opts.zip64 ? 0xffffffff : directorySize);
  w.u32(opts.zip64 ? 0xffffffff : directoryStart);
  w.u16(comment.length);
  w.bytes(comment);
  return w.concat();
}

/** A source of `shift` virtual zero bytes followed by `bytes` (a multi-GiB archive without the GiBs). */
export function shiftedSource(bytes: Uint8Array, shift: number, name: string, log?: Array<[number, number]>): ByteSource {
  return {
    name,
    size: shift + bytes.length,
    async read(offset, length) {
      log?.push([offset, length]);
      const end = Math.min(shift + bytes.length, offset + length);
      const out = new Uint8Array(Math.max(0, end - offset));
      for (let i = offset; i < end; ) {
        if (i < shift) {
          i = Math.min(shift, end);
        } else {
          out.set(bytes.subarray(i - shift, end - shift), i - offset);
          break;
        }
      }
      return out;
    },
  };
}
