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

export function parseConsultantCode(
  raw: string,
): FormatResult<{ code: string; isDefault: boolean }> {
  const s = raw.trim().toUpperCase();
  const code = /^[0-9]{7}$/.test(s) ? `C${s}` : s;
  if (defaultConsultantCodes.includes(code)) return okResult({ code, isDefault: true });
  if (/^C[0-9]{7}$/.test(code)) return okResult({ code, isDefault: false });
  return failResult("not a GMC number or default consultant code");
}
