// The reading ICD-10 and OPCS-4 codes share: trim, remove one dot wherever it sits, take letters
// in either case, and check the result against the code system's pattern; on failure, the
// first character out of place gives the reason.
import { type FormatResult, failResult, okResult } from "./result.ts";

export interface CodeShape {
  /** The whole code without its dot, upper case. */
  readonly pattern: RegExp;
  /** What each position (0-based) may hold, and the reason given when it does not. */
  readonly positions: readonly (readonly [allowed: RegExp, reason: string])[];
  readonly tooShort: string;
  readonly tooLong: string;
}

/** The code without its dot, in upper case, or the reason it is not one. */
export function readCode(raw: string, shape: CodeShape): FormatResult {
  // Only ASCII letters are upper-cased: toUpperCase would turn the Turkish "ı" into "I".
  const code = raw
    .trim()
    .replace(".", "")
    .replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  if (shape.pattern.test(code)) return okResult(code);
  if (code.length > shape.positions.length) return failResult(shape.tooLong);
  // The reason is the first character out of place, a second dot included.
  for (const [i, [allowed, reason]] of shape.positions.entries()) {
    if (i >= code.length) break;
    if (code[i] === ".") return failResult("more than one dot");
    if (!allowed.test(code.charAt(i))) return failResult(reason);
  }
  // Every character stands where it may, so the code stops before the pattern allows.
  return failResult(shape.tooShort);
}
