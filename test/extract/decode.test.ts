// The byte-level UTF-8 check that locates the first bad byte for SOURCE_ENCODING messages, and
// the single-byte decoding that takes Node's native latin1 when it reads the same.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeText, firstInvalidUtf8 } from "../../src/extract/decode.ts";

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

/** Bytes weighted towards the interesting ones: ASCII, 0x80-0x9F, and the bytes either side. */
const byte = fc.oneof(
  fc.integer({ min: 0x20, max: 0x7e }),
  fc.integer({ min: 0x7f, max: 0xa0 }),
  fc.integer({ min: 0, max: 255 }),
);
/** The same without NUL, which decodeText refuses near the start (UTF-16 text has them). */
const textByte = byte.filter((b) => b !== 0);

describe("decodeText, windows-1252", () => {
  it("gives what the WHATWG windows-1252 decoder gives, however the bytes are chunked", async () => {
    const reference = new TextDecoder("windows-1252");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(textByte, { minLength: 1, maxLength: 40 }), { maxLength: 8 }),
        fc.constantFrom("windows-1252", "latin1") as fc.Arbitrary<"windows-1252" | "latin1">,
        async (chunks, encoding) => {
          // Letters first: a file starting with NUL or a byte order mark is refused by design.
          const buffers = [Buffer.from("id;"), ...chunks.map((c) => Buffer.from(c))];
          async function* stream() {
            yield* buffers;
          }
          let text = "";
          const noLine = () => Promise.reject(new Error("no message expected"));
          for await (const part of decodeText(stream(), encoding, "x.csv", noLine)) text += part;
          expect(text).toBe(reference.decode(Buffer.concat(buffers)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
