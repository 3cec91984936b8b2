// Cells of issues.csv that are safe to open in a spreadsheet: a cell a spreadsheet would run as
// a formula (= + - @ tab CR first) is prefixed with '; csv-stringify then does the RFC 4180
// quoting (told to quote bare line breaks too, which it leaves alone by default).
import { stringify } from "csv-stringify/sync";

const formulaStart = /^[=+\-@\t\r]/;

export const csvOptions = { record_delimiter: "\r\n", quoted_match: /[\r\n]/ } as const;

export function spreadsheetRows(rows: readonly (readonly string[])[]): string {
  return stringify(
    rows.map((cells) => cells.map((cell) => (formulaStart.test(cell) ? `'${cell}` : cell))),
    csvOptions,
  );
}
