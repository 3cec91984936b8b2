// Decoding as the sources use it: valid UTF-8 read back whatever the chunking, invalid UTF-8
// named by its line, UTF-16/32 refused, and windows-1252 as the WHATWG decoder reads it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { decodeText, type TextEncoding } from "../../src/extract/decode.ts";

/** Decode `bytes` cut into chunks of `size`; lines are counted in the bytes themselves. */
async function decodeAll(bytes: Buffer, size: number, encoding: TextEncoding = "utf-8") {
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const lineAt = async (offset: number) =>
    1 + bytes.subarray(0, offset).filter((b) => b === 0x0a).length;
  let text = "";
  for await (const part of decodeText(chunks(), encoding, "x.csv", lineAt)) text += part;
  return text;
}

async function encodingFailure(run: () => Promise<unknown>): Promise<PhinError> {
  const error = await run().then(
    () => new Error("expected a SOURCE_ENCODING error"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PhinError);
  expect((error as PhinError).code).toBe("SOURCE_ENCODING");
  return error as PhinError;
}

describe("decodeText, UTF-8", () => {
  const line = fc.string({ unit: fc.constantFrom("a", "Z", " ", ";", "é", "£", "€", "😀") });
  /** Byte sequences that are never valid UTF-8: a windows-1252 letter, a lone continuation,
   * an overlong, a surrogate, a code point past U+10FFFF, a lead byte without its tail. */
  const invalid = fc.constantFrom(
    [0xe9],
    [0x80],
    [0xc0, 0x80],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xf5, 0x80, 0x80, 0x80],
    [0xe2, 0x82, 0x41],
  );
  const size = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.constant(1 << 16));

  it("reads valid text back whatever the chunking, a byte order mark dropped", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line), fc.boolean(), size, async (lines, bom, chunk) => {
        const text = `id\n${lines.join("\n")}`;
        const bytes = Buffer.from(`${bom ? "\uFEFF" : ""}${text}`);
        expect(await decodeAll(bytes, chunk)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("names the line of the first invalid byte, however the bytes are chunked", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat(),
        invalid,
        size,
        async (lines, which, where, bad, chunk) => {
          const at = which % lines.length;
          const chars = [...(lines[at] as string)];
          const cut = where % (chars.length + 1);
          const damaged = Buffer.concat([
            Buffer.from(["id", ...lines.slice(0, at), chars.slice(0, cut).join("")].join("\n")),
            Buffer.from(bad),
            Buffer.from([chars.slice(cut).join(""), ...lines.slice(at + 1)].join("\n")),
          ]);
          const error = await encodingFailure(() => decodeAll(damaged, chunk));
          expect(error.line).toBe(at + 2);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a file cut inside a character, and UTF-16 or UTF-32 in any form", async () => {
    const cut = await encodingFailure(() => decodeAll(Buffer.from([0x61, 0x0a, 0xe2, 0x82]), 1));
    expect([cut.line, cut.message]).toEqual([2, "x.csv:2: the file ends inside a UTF-8 character"]);
    for (const bytes of [
      Buffer.from("\uFEFFid\n", "utf16le"),
      Buffer.from([0xfe, 0xff, 0x00, 0x69]),
      Buffer.from("id\n", "utf16le"),
      Buffer.from([0x00, 0x00, 0xfe, 0xff]),
    ]) {
      for (const chunk of [1, 2, 1 << 16]) {
        expect((await encodingFailure(() => decodeAll(bytes, chunk))).message).toMatch(/UTF-16/);
      }
    }
    const bom = await encodingFailure(() =>
      decodeAll(Buffer.from("\uFEFFid\n"), 1, "windows-1252"),
    );
    expect(bom.message).toMatch(/UTF-8 byte order mark but the mapping declares windows-1252/);
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
