// The binary form of what the rules across records keep about a key: a hash that picks its
// partition, the patient as two 32-bit words of the pseudonym, dates as day numbers and the
// two discharge codes packed into one word. Shared by the scratch files that hold the key
// sets during a pass and the episode index PROMs and events look up afterwards.
import { formatDay, isDay, isoDay } from "../formats/dates.ts";
import { readU32, write32 } from "../io/little-endian.ts";

/**
 * Partitions of the key sets: at the end of a pass one partition at a time is in memory. With
 * 256, a partition of 3M episodes is ~12k keys and ~1 MB read back (with 64, the judging phase
 * added ~20-30 MB to the pass's peak at 3M).
 */
export const PARTITIONS = 256;
export const PARTITION_BITS = 8;

/** 32-bit FNV-1a of a key's UTF-16 code units: the low bits pick the partition. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * 32 bits of a validated (lowercase hex) pseudonym from character `at`: words 0 and 8 are its
 * first 64 bits. HMAC output is uniform, so they identify the patient. Read in place: no slice,
 * no array, for each of a million episodes.
 */
export function pseudonymWord(pseudonym: string, at: 0 | 8): number {
  let word = 0;
  for (let i = at; i < at + 8; i++) {
    const c = pseudonym.charCodeAt(i);
    word = word * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return word >>> 0;
}

/** Both words of "no pseudonym": all-ones is as unlikely as any other 64-bit value. */
export const NO_PSEUDONYM = 0xffffffff;

const NO_DAY = -0x80000000;

export function toDay(iso: string | null): number {
  if (iso === null) return NO_DAY;
  const day = isoDay(iso);
  return isDay(day) ? day : NO_DAY;
}

export function fromDay(day: number): string | null {
  return day === NO_DAY ? null : formatDay(day);
}

/** Codes are 1-2 characters: packed into 16 bits, 0 for none. */
export function packCode(code: string | null): number {
  return code === null ? 0 : (code.charCodeAt(0) << 8) | (code.length > 1 ? code.charCodeAt(1) : 0);
}

export function unpackCode(packed: number): string | null {
  return packed === 0
    ? null
    : String.fromCharCode(packed >> 8) +
        ((packed & 0xff) === 0 ? "" : String.fromCharCode(packed & 0xff));
}

/**
 * Write a string as its UTF-8 byte length (u32) and bytes; returns the offset past it. The
 * caller makes room for keyBytes(key). Ids are nearly always a dozen ASCII characters, copied
 * here one by one: Buffer.write's checks and native call cost more than the copy (~1 % of a run,
 * one id or spell per sighting and lookup). The first other character hands the rest of the
 * string to Buffer.write, which encodes it as UTF-8 (lone surrogates as U+FFFD).
 */
export function writeKey(buffer: Buffer, at: number, key: string): number {
  const start = at + 4;
  let i = 0;
  for (; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) break;
    buffer[start + i] = c;
  }
  const n = i === key.length ? i : i + buffer.write(key.slice(i), start + i, "utf8");
  write32(buffer, at, n);
  return start + n;
}

/** Most bytes `writeKey` can take for `key`. */
export function keyBytes(key: string): number {
  return 4 + key.length * 3;
}

/** The string `writeKey` wrote at `at`. */
export function readKey(buffer: Buffer, at: number): string {
  const n = readU32(buffer, at);
  return buffer.toString("utf8", at + 4, at + 4 + n);
}

/**
 * Whether the keys writeKey wrote at `a[aAt]` and `b[bAt]` are the same bytes. A loop, not
 * Buffer.compare: keys are a dozen bytes, and compare's argument checks and native call cost
 * ~0.5 us against a few ns here, for every entry of a bucket a lookup scans. From the last byte
 * back, as ids of one export share their prefix and differ at the end.
 */
export function sameKey(a: Buffer, aAt: number, b: Buffer, bAt: number): boolean {
  const n = readU32(a, aAt);
  if (readU32(b, bAt) !== n) return false;
  for (let i = n + 3; i >= 4; i--) if (a[aAt + i] !== b[bAt + i]) return false;
  return true;
}

/** Offset just past the string `writeKey` wrote at `at`. */
export function skipKey(buffer: Buffer, at: number): number {
  return at + 4 + readU32(buffer, at);
}
