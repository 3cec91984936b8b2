import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParser, CsvSyntaxError } from "../../src/extract/csv-parser.ts";

const dialect = { delimiter: ",", quote: '"', escape: '"', maxRecordChars: 1 << 20 };

function parseAll(text: string, chunk = text.length || 1, d = dialect): [string[], number][] {
  const p = new CsvParser(d);
  const out: [string[], number][] = [];
  const on = (f: string[], line: number) => out.push([f, line]);
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), on);
  p.end(on);
  return out;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe("CsvParser", () => {
  it("gives each record its exact start line, with CRLF inside quotes and blank lines", () => {
    const text = 'a,b\r\n1,2\r\n\r\n"x\r\ny",3\n4,"p""q"\r5,6';
    expect(parseAll(text)).toEqual([
      [["a", "b"], 1],
      [["1", "2"], 2],
      [["x\r\ny", "3"], 4],
      [["4", 'p"q'], 6],
      [["5", "6"], 7],
    ]);
  });

  it("counts a bare CR inside a quoted field as a line break", () => {
    expect(parseAll('a,b\n"x\ry",1\n2,3\n')).toEqual([
      [["a", "b"], 1],
      [["x\ry", "1"], 2],
      [["2", "3"], 4],
    ]);
  });

  it("reports an unclosed quote at the line where the record starts", () => {
    const error = (() => {
      try {
        parseAll('a,b\n1,2\n"open,3\n4,5\n');
      } catch (e) {
        return e;
      }
    })() as CsvSyntaxError;
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect(error.problem).toBe("quote-not-closed");
    expect(error.line).toBe(3);
  });

  it("refuses text after a closing quote and records above the size cap", () => {
    expect(() => parseAll('a\n"x"y\n')).toThrow(CsvSyntaxError);
    expect(() => parseAll(`a\n${"x".repeat(50)}\n`, 7, { ...dialect, maxRecordChars: 20 })).toThrow(
      /record-too-large/,
    );
  });

  it("supports another delimiter and a backslash escape", () => {
    expect(parseAll('a;"b\\"c";d\n', 3, { ...dialect, delimiter: ";", escape: "\\" })).toEqual([
      [["a", 'b"c', "d"], 1],
    ]);
  });

  it("property: any table written as RFC 4180 reads back the same, whatever the chunking", () => {
    const cell = fc.string({
      unit: fc.constantFrom("a", "Z", "1", " ", ",", '"', "\n", "\r\n", "é", "£", ";"),
    });
    const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.array(fc.array(cell, { minLength: width, maxLength: width }), {
        minLength: 1,
        maxLength: 8,
      }),
    );
    fc.assert(
      fc.property(
        table,
        fc.integer({ min: 1, max: 17 }),
        fc.constantFrom("\r\n", "\n"),
        (rows, chunk, eol) => {
          // A row of one blank cell is a blank line, which is skipped (not a record).
          const kept = rows.filter((r) => !(r.length === 1 && /^[ \t]*$/.test(r[0] ?? "")));
          const text = kept.map((r) => r.map(quote).join(",")).join(eol);
          expect(parseAll(text, chunk).map(([f]) => f)).toEqual(kept);
        },
      ),
    );
  });
});
