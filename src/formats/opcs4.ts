// OPCS-4.10 procedure codes: stored as 4 characters without the dot, a chapter letter (never I)
// and three digits. A local 5th character is dropped and flagged, so the caller can warn.
import { type FormatResult, failResult, okResult } from "./result.ts";

const tooShort = failResult("too short for an OPCS-4 code");
const tooLong = failResult("too long for an OPCS-4 code");
const twoDots = failResult("more than one dot");
const badChapter = failResult("chapter is not a letter other than I");
const badDigits = failResult("positions 2 to 4 are not digits");
const badExtension = failResult("local extension is not a letter or digit");

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => c >= 65 && c <= 90;

/** Why upper-case character `c` cannot stand at `position` (0-based), or undefined if it can. */
function refusalAt(position: number, c: number): FormatResult<never> | undefined {
  switch (position) {
    case 0:
      return isLetter(c) && c !== 73 ? undefined : badChapter;
    case 1:
    case 2:
    case 3:
      return isDigit(c) ? undefined : badDigits;
    case 4:
      return isDigit(c) || isLetter(c) ? undefined : badExtension;
    default:
      return tooLong;
  }
}

/** The dot is accepted wherever it sits (W37.1, W37.12), as for ICD-10; at most one. */
export function parseOpcs4(
  raw: string,
): FormatResult<{ code: string; localExtensionRemoved: boolean }> {
  const s = raw.trim();
  if (s.length > 6 || (s.length === 6 && s.indexOf(".") === -1)) return tooLong;
  let length = 0;
  let dotted = false;
  let lower = false;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 46) {
      if (dotted) return twoDots;
      dotted = true;
      continue;
    }
    if (c >= 97 && c <= 122) {
      c -= 32;
      lower = true;
    }
    const refusal = refusalAt(length++, c);
    if (refusal !== undefined) return refusal;
  }
  if (length < 4) return tooShort;
  const stored = dotted || lower ? s.replace(".", "").toUpperCase() : s;
  return length === 4
    ? okResult({ code: stored, localExtensionRemoved: false })
    : okResult({ code: stored.slice(0, 4), localExtensionRemoved: true });
}

/** Y and Z codes qualify another procedure (approach, laterality); never the primary one. */
export function isYZChapter(code: string): boolean {
  const chapter = code.charCodeAt(0);
  return chapter === 89 || chapter === 90;
}
