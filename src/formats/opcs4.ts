// OPCS-4.10 procedure codes: stored as 4 characters without the dot, a chapter letter (never I)
// and three digits. A local 5th character is dropped and flagged, so the caller can warn.
import { type CodeShape, scanCode } from "./clinical-code.ts";
import { type FormatResult, failResult, okResult } from "./result.ts";

const tooShort = failResult("too short for an OPCS-4 code");
const tooLong = failResult("too long for an OPCS-4 code");
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

const shape: CodeShape = { maxLength: 5, minLength: 4, tooLong, tooShort, refusalAt };

/** The dot is accepted wherever it sits (W37.1, W37.12), as for ICD-10; at most one. */
export function parseOpcs4(
  raw: string,
): FormatResult<{ code: string; localExtensionRemoved: boolean }> {
  const code = scanCode(raw, shape);
  if (typeof code !== "string") return code;
  return code.length === 4
    ? okResult({ code, localExtensionRemoved: false })
    : okResult({ code: code.slice(0, 4), localExtensionRemoved: true });
}

/** Y and Z codes qualify another procedure (approach, laterality); never the primary one. */
export function isYZChapter(code: string): boolean {
  const chapter = code.charCodeAt(0);
  return chapter === 89 || chapter === 90;
}
