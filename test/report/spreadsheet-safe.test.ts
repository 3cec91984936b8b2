import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spreadsheetRows } from "../../src/report/spreadsheet-safe.ts";

describe("spreadsheetRows", () => {
  it.each([
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["a,b", '"a,b"'],
    ["a\nb", '"a\nb"'],
    ["a\rb", '"a\rb"'],
    ["K351", "K351"],
  ])("%j -> %j", (input, expected) => {
    expect(spreadsheetRows([[input]])).toBe(`${expected}\r\n`);
  });

  it("reads back as the same cells, none starting with a formula character", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1 }),
        (rows) => {
          const back = parse(spreadsheetRows(rows), { relax_column_count: true }) as string[][];
          expect(back).toHaveLength(rows.length);
          back.forEach((cells, r) => {
            cells.forEach((cell, c) => {
              const original = rows[r]?.[c] as string;
              expect(cell === original || cell === `'${original}`).toBe(true);
              expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
            });
          });
        },
      ),
    );
  });
});
