// ICD-10 5th edition codes in PHIN's stored form (datasets.md §5.3): no dot, a letter and two
// digits, then position 4 (a digit, or X padding a 3-character code), an optional position 5
// (a digit, a letter used by some 5th-character extensions, or '-' when unused) and an optional
// dagger/asterisk marker A or D in position 6. At most 6 characters.
import { type FormatResult, failResult, okResult } from "./result.ts";

const stored = /^[A-Z][0-9]{2}(?:[0-9X](?:[0-9A-Z-][AD]?)?)?$/;

export function parseIcd10(raw: string): FormatResult {
  const code = raw.trim().toUpperCase().replace(".", "");
  if (code.length < 3 || code.length > 6 || !stored.test(code))
    return failResult("not an ICD-10 code");
  return okResult(code.length === 3 ? `${code}X` : code);
}
