// CSV cells that are safe to open in a spreadsheet: a cell a spreadsheet would run as a formula
// (= + - @ tab CR first) is prefixed with ', then RFC 4180 quoting applies.
const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function spreadsheetCell(value: string): string {
  const safe = formulaStart.test(value) ? `'${value}` : value;
  return needsQuotes.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function spreadsheetRow(cells: readonly string[]): string {
  return `${cells.map(spreadsheetCell).join(",")}\r\n`;
}
