// ICD-10 (5th edition) diagnosis codes in their stored form: no dot, upper case, a 3-character
// code padded with X, optional 5th character and dagger (D) or asterisk (A) marker.
import { type CodeShape, scanCode } from "./clinical-code.ts";
import { type FormatResult, failResult, okResult } from "./result.ts";

/*
 * Reading of the rules (NHS Data Dictionary): after trimming, upper-casing and removing one dot
 * (wherever it sits: sources write K35.1, K351 and the odd K3.51), the code must match
 *   [A-Z][0-9]{2}([0-9X]([0-9-]([AD])?)?)?
 * Position 4 is a digit or X; position 5 a digit, or '-' holding the place when only a marker
 * follows; position 6 the dagger (D) or asterisk (A) marker, which therefore always comes with a
 * position 5 (M01.1-D, A17.0-A). "X only as padding" is read as "X is the only letter position 4
 * takes", not as "nothing may follow an X". A 3-character code gets its X, so stored forms are 4
 * to 6 characters.
 */

const tooShort = failResult("too short for an ICD-10 code");
const tooLong = failResult("too long for an ICD-10 code");
const badCategory = failResult("does not start with a letter and two digits");
const badFourth = failResult("position 4 is not a digit or X");
const badFifth = failResult("position 5 is not a digit or -");
const badMarker = failResult("position 6 is not A or D");

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => c >= 65 && c <= 90;

/** Why upper-case character `c` cannot stand at `position` (0-based), or undefined if it can. */
function refusalAt(position: number, c: number): FormatResult<never> | undefined {
  switch (position) {
    case 0:
      return isLetter(c) ? undefined : badCategory;
    case 1:
    case 2:
      return isDigit(c) ? undefined : badCategory;
    case 3:
      return isDigit(c) || c === 88 ? undefined : badFourth;
    case 4:
      return isDigit(c) || c === 45 ? undefined : badFifth;
    case 5:
      return c === 65 || c === 68 ? undefined : badMarker;
    default:
      return tooLong;
  }
}

const shape: CodeShape = { maxLength: 6, minLength: 3, tooLong, tooShort, refusalAt };

export function parseIcd10(raw: string): FormatResult {
  const code = scanCode(raw, shape);
  if (typeof code !== "string") return code;
  return okResult(code.length === 3 ? `${code}X` : code);
}
