// Consultant codes (datasets.md §2): C + 7-digit GMC number, or one of the NHS default codes used
// when the consultant is not known individually. A bare GMC number gets its C.
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
const defaults = new Set(defaultConsultantCodes);
const gmc = /^C[0-9]{7}$/;
const bare = /^[0-9]{7}$/;

export function parseConsultantCode(
  raw: string,
): FormatResult<{ code: string; isDefault: boolean }> {
  const trimmed = raw.trim().toUpperCase();
  const code = bare.test(trimmed) ? `C${trimmed}` : trimmed;
  if (defaults.has(code)) return okResult({ code, isDefault: true });
  return gmc.test(code)
    ? okResult({ code, isDefault: false })
    : failResult("not a GMC or default consultant code");
}
