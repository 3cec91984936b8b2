// The byte form of ids in the scratch files and the episode index: written in place, read back
// and compared without decoding.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyBytes, readKey, sameKey, skipKey, writeKey } from "../../src/validate/link-facts.ts";

/** Ids as exports write them, and anything else a string can hold (lone surrogates included). */
const id = fc.oneof(
  fc.string({ unit: fc.constantFrom("E", "0", "7", "-", " ", "é", "€", "😀", "\u{d800}") }),
  fc.string({ unit: "binary" }),
  fc.string(),
);

describe("writeKey", () => {
  it("writes the string's UTF-8 bytes after their length, as Buffer.write would", () => {
    fc.assert(
      fc.property(id, fc.nat(5), (key, at) => {
        const buffer = Buffer.alloc(at + keyBytes(key) + 3, 0xaa);
        const end = writeKey(buffer, at, key);
        const utf8 = Buffer.from(key, "utf8");
        expect(buffer.readUInt32LE(at)).toBe(utf8.length);
        expect(buffer.subarray(at + 4, end).equals(utf8)).toBe(true);
        expect(skipKey(buffer, at)).toBe(end);
        expect(readKey(buffer, at)).toBe(utf8.toString("utf8"));
        // Nothing written past the key.
        expect(buffer.subarray(end).every((b) => b === 0xaa)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("sameKey tells keys apart exactly when their bytes differ", () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        const buffer = Buffer.alloc(keyBytes(a) + keyBytes(b) + 1);
        const at = writeKey(buffer, 1, a);
        writeKey(buffer, at, b);
        const same = Buffer.from(a, "utf8").equals(Buffer.from(b, "utf8"));
        expect(sameKey(buffer, 1, buffer, at)).toBe(same);
        expect(sameKey(buffer, at, buffer, 1)).toBe(same);
        expect(sameKey(buffer, 1, buffer, 1)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
