// UK postcodes: normalised to OUTWARD + one space + INWARD and checked against the Royal Mail
// shapes and letter rules, plus GIR 0AA, British Forces (BF1) and the NHS pseudo postcodes.

import { type FormatResult, failResult, okResult } from "./result.ts";

// Case-insensitive, and without the u flag `i` never matches a non-ASCII letter to an ASCII one.
// Position 1 is never Q V X; position 2 never I J Z; A9A takes these letters third (P since
// N1P), AA9A these fourth; inward letters are never C I K M O V.
const outwardShape =
  /^[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])$/i;
const inwardShape = /^[0-9][A-Z]{2}$/i;
const inwardLetters = /^.[ABD-HJLNP-UW-Z]{2}$/i;
// GIR 0AA and the pseudo postcodes (ZZ99 + digit + letter + Z: 3VZ no fixed abode, 3WZ not
// known, and the overseas ones) are exempt from the letter rules.
const exempt = /^(?:GIR0AA|ZZ99[0-9][A-Z]Z)$/i;

export function parsePostcode(raw: string): FormatResult {
  const compact = raw.replace(/\s+/g, "");
  if (compact.length > 7) return failResult("too long for a postcode");
  if (compact.length < 5) return failResult("too short for a postcode");
  const outward = compact.slice(0, -3);
  const inward = compact.slice(-3);
  if (!exempt.test(compact)) {
    if (!inwardShape.test(inward)) return failResult("inward code is not a digit and two letters");
    if (!inwardLetters.test(inward)) return failResult("inward code uses a letter never issued");
    if (!outwardShape.test(outward)) {
      return failResult("outward code breaks the postcode shape or letter rules");
    }
  }
  // Every character is now an ASCII letter or digit, so upper-casing cannot change the length.
  return okResult(`${outward.toUpperCase()} ${inward.toUpperCase()}`);
}
