// Properties of the CSV source as the pipeline uses it: bytes decoded chunk by chunk (multi-byte
// characters split anywhere), the tokenizer's shortcuts (empty fields answered at once, columns
// nobody reads never sliced), restriction, and line numbers. A random table written in either
// encoding, delimiter and line end, quoted where it must be and sometimes where it need not be,
// reads back cell for cell in the columns kept. Random damage to such a file must end in an input
// error or a clean read, never another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { openCsvSource } from "../../src/extract/csv-source.ts";
import { defaultSourceLimits } from "../../src/extract/source.ts";
import { rowsOf, scratch } from "./fixtures.ts";

const { write } = scratch("csv-property");

// Empty cells weigh heavily, as in real exports (unused repeated columns).
const cell = fc.oneof(
  { weight: 2, arbitrary: fc.constant("") },
  {
    weight: 3,
    arbitrary: fc.string({
      unit: fc.constantFrom("a", "Z", "1", " ", ",", ";", '"', "\n", "\r\n", "é", "£", "€"),
      maxLength: 6,
    }),
  },
);

const table = fc.integer({ min: 2, max: 6 }).chain((width) =>
  fc.record({
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
      minLength: 1,
      maxLength: 12,
    }),
    /** Which columns the mapping reads. */
    read: fc.array(fc.boolean(), { minLength: width, maxLength: width }),
    /** Quote a cell that does not need it. */
    extraQuotes: fc.array(fc.boolean(), { minLength: width, maxLength: width }),
  }),
);

const dialect = fc.record({
  delimiter: fc.constantFrom(",", ";"),
  eol: fc.constantFrom("\r\n", "\n"),
  encoding: fc.constantFrom("utf-8" as const, "windows-1252" as const),
  highWaterMark: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(1 << 16)),
  finalEol: fc.boolean(),
});

function quoted(value: string, delimiter: string, force: boolean): string {
  const needs = value.includes(delimiter) || /["\r\n]/.test(value) || value.trim() !== value;
  return needs || force ? `"${value.replaceAll('"', '""')}"` : value;
}

function encode(text: string, encoding: "utf-8" | "windows-1252"): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  // Every character of the alphabet is in windows-1252; the euro sign is 0x80 there.
  return Buffer.from([...text].map((c) => (c === "€" ? 0x80 : (c.codePointAt(0) as number))));
}

let files = 0;
const open = (
  bytes: Buffer,
  d: { delimiter: string; encoding: "utf-8" | "windows-1252"; highWaterMark: number },
) =>
  openCsvSource({
    path: write(`t-${++files}.csv`, bytes),
    file: "extracts/t.csv",
    encoding: d.encoding,
    delimiter: d.delimiter,
    quote: '"',
    header: true,
    limits: defaultSourceLimits,
    highWaterMark: d.highWaterMark,
  });

describe("CSV source: properties", () => {
  it("any table, in any encoding, dialect and chunking, reads back in the columns kept", async () => {
    await fc.assert(
      fc.asyncProperty(table, dialect, async ({ rows: some, read, extraQuotes }, d) => {
        // Past one batch, so that most rows are tokenized after restrictTo has told the parser
        // which columns to keep (the rows of the first batch are read while opening).
        const rows = Array.from({ length: Math.ceil(300 / some.length) }, () => some).flat();
        const header = read.map((_, i) => `Col${i}`);
        const lines = [header, ...rows].map((r) =>
          r.map((v, i) => quoted(v, d.delimiter, extraQuotes[i] === true)).join(d.delimiter),
        );
        const text = lines.join(d.eol) + (d.finalEol ? d.eol : "");
        // A record starts on the line after the previous one's last line break.
        const starts: number[] = [];
        let line = 1 + (lines[0]?.split("\n").length ?? 1);
        for (const l of lines.slice(1)) {
          starts.push(line);
          line += l.split("\n").length;
        }
        const source = await open(encode(text, d.encoding), d);
        const kept = header.filter((_, i) => read[i]);
        const getters = kept.map((c) => source.value(c));
        source.restrictTo(kept);
        const got = await rowsOf<string[]>(source);
        expect(got.map((r) => r.line)).toEqual(starts);
        expect(got.map(({ row }) => getters.map((g) => g(row)))).toEqual(
          rows.map((r) => r.filter((_, i) => read[i])),
        );
        // Columns nobody reads never become strings: a name or a note stays in the file.
        expect(got.flatMap(({ row }) => row.filter((v, i) => !read[i] && v !== ""))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("a damaged file ends in an input error or a clean read, never another exception", async () => {
    const damage = fc.record({
      // Unbiased: fast-check favours small numbers, which would put most damage in the header.
      at: fc.noBias(fc.nat({ max: 1 << 20 })),
      cut: fc.nat(4),
      insert: fc.uint8Array({ maxLength: 3 }).map((b) => Buffer.from(b)),
    });
    await fc.assert(
      fc.asyncProperty(
        table,
        dialect,
        fc.array(damage, { minLength: 1, maxLength: 3 }),
        async ({ rows, read }, d, damages) => {
          const header = read.map((_, i) => `Col${i}`);
          const text = [header, ...rows]
            .map((r) => r.map((v) => quoted(v, d.delimiter, false)).join(d.delimiter))
            .join(d.eol);
          let bytes = encode(text, d.encoding);
          for (const { at, cut, insert } of damages) {
            const p = at % (bytes.length + 1);
            bytes = Buffer.concat([bytes.subarray(0, p), insert, bytes.subarray(p + cut)]);
          }
          try {
            const source = await open(bytes, d);
            const getters = header.map((c) => source.value(c));
            for (const { row } of await rowsOf<string[]>(source)) for (const g of getters) g(row);
          } catch (error) {
            // CSV_MALFORMED, ENCODING_INVALID, SOURCE_COLUMNS (a damaged header), ...
            expect(error).toBeInstanceOf(PhinError);
            expect((error as PhinError).errorClass).toBe("input");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
