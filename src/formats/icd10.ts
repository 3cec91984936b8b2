// ICD-10 (5th edition) diagnosis codes in their stored form: no dot, upper case, a 3-character
// code padded with X, optional 5th character and dagger (D) or asterisk (A) marker.
import { type CodeShape, readCode } from "./clinical-code.ts";
import { type FormatResult, okResult } from "./result.ts";

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
const category = "does not start with a letter and two digits";
const shape: CodeShape = {
  pattern: /^[A-Z][0-9]{2}(?:[0-9X](?:[0-9-][AD]?)?)?$/,
  positions: [
    [/[A-Z]/, category],
    [/[0-9]/, category],
    [/[0-9]/, category],
    [/[0-9X]/, "position 4 is not a digit or X"],
    [/[0-9-]/, "position 5 is not a digit or -"],
    [/[AD]/, "position 6 is not A or D"],
  ],
  tooShort: "too short for an ICD-10 code",
  tooLong: "too long for an ICD-10 code",
};

export function parseIcd10(raw: string): FormatResult {
  const result = readCode(raw, shape);
  return result.ok && result.value.length === 3 ? okResult(`${result.value}X`) : result;
}
