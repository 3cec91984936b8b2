import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spreadsheetCell } from "../../src/report/spreadsheet-safe.ts";

describe("spreadsheetCell", () => {
  it.each([
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ["+1", "'+1"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ["a,b", '"a,b"'],
    ["K351", "K351"],
  ])("%j -> %j", (input, expected) => {
    expect(spreadsheetCell(input)).toBe(expected);
  });

  it("never lets a cell start with a formula character, whatever the input", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const cell = spreadsheetCell(s);
        const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
        expect(/^[=+\-@\t\r]/.test(unquoted)).toBe(false);
      }),
    );
  });
});
