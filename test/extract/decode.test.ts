// The byte-level UTF-8 check that locates the first bad byte for SOURCE_ENCODING messages.
import { describe, expect, it } from "vitest";
import { firstInvalidUtf8 } from "../../src/extract/decode.ts";

const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));

describe("firstInvalidUtf8", () => {
  it("accepts ASCII and well-formed multi-byte characters", () => {
    expect(firstInvalidUtf8(Buffer.from("a é £ € 😀 z"))).toBe(-1);
  });

  it("skips continuation bytes of a character begun in the previous chunk", () => {
    expect(at(0x82, 0xac, 0x41)).toBe(-1);
  });

  it("finds a windows-1252 byte, overlongs, surrogates and out-of-range code points", () => {
    expect(at(0x41, 0x0a, 0xe9, 0x41)).toBe(2);
    expect(at(0x41, 0xc0, 0x80)).toBe(1);
    expect(at(0xe0, 0x80, 0x80)).toBe(0);
    expect(at(0x41, 0xed, 0xa0, 0x80)).toBe(1);
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0);
    expect(at(0xf5, 0x80, 0x80, 0x80)).toBe(0);
  });

  it("reports a chunk that ends inside a character as its length", () => {
    expect(at(0x41, 0xe2, 0x82)).toBe(3);
  });
});
