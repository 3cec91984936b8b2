// OPCS-4.10 procedure codes (datasets.md §5.4): stored as 4 characters without the dot, a chapter
// letter (never I) and three digits. A local 5th character is dropped, and the caller warns.
import { type FormatResult, failResult, okResult } from "./result.ts";

const code4 = /^[A-HJ-Z][0-9]{3}$/;
const code5 = /^[A-HJ-Z][0-9]{3}[0-9A-Z]$/;

export function parseOpcs4(
  raw: string,
): FormatResult<{ code: string; localExtensionRemoved: boolean }> {
  const code = raw.trim().toUpperCase().replace(".", "");
  if (code4.test(code)) return okResult({ code, localExtensionRemoved: false });
  if (code5.test(code)) return okResult({ code: code.slice(0, 4), localExtensionRemoved: true });
  return failResult("not an OPCS-4 code");
}

/** Y and Z codes qualify another procedure; they can never be the primary one. */
export function isYZChapter(code: string): boolean {
  return code.startsWith("Y") || code.startsWith("Z");
}
