// Consultant codes: C + 7-digit GMC number, or one of the NHS default codes used when the
// consultant is not known individually. A bare GMC number gets its C.
import { type FormatResult, failResult, okResult } from "./result.ts";

export const defaultConsultantCodes: readonly string[] = [
  "C9999998",
  "CD999998",
  "D9999998",
  "D9999981",
  "H9999998",
  "M9999998",
  "N9999998",
];

type Consultant = FormatResult<{ code: string; isDefault: boolean }>;

// Default codes recur on many records: one shared result each instead of one per record.
const defaultResults = new Map<string, Consultant>(
  defaultConsultantCodes.map((code) => [code, okResult({ code, isDefault: true })]),
);
const notConsultant = failResult("not a GMC number or default consultant code");

function digitsFrom(s: string, start: number): boolean {
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export function parseConsultantCode(raw: string): Consultant {
  const s = raw.trim().toUpperCase();
  const code = s.length === 7 && digitsFrom(s, 0) ? `C${s}` : s;
  const preset = defaultResults.get(code);
  if (preset !== undefined) return preset;
  return code.length === 8 && code.charCodeAt(0) === 67 && digitsFrom(code, 1)
    ? okResult({ code, isDefault: false })
    : notConsultant;
}
