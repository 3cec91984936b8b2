// NHS numbers: 10 digits whose last is a modulus 11 check digit, excluding the ten repeated-digit
// strings, which pass the checksum but are never issued. Spaces and hyphens are layout only.
import { type FormatResult, failResult, okResult } from "./result.ts";

const notTenDigits = failResult("not 10 digits");
const repeatedDigits = failResult("repeated digits are never issued");
const checkMismatch = failResult("check digit does not match");
const separators = / |-/g;

/** The check digit nine weighted digits imply; -1 when it would be 10 (no valid number). */
function expectedCheck(weightedSum: number): number {
  const check = 11 - (weightedSum % 11);
  return check === 11 ? 0 : check === 10 ? -1 : check;
}

export function parseNhsNumber(raw: string): FormatResult {
  const s = raw.trim();
  let count = 0;
  let sum = 0;
  let check = 0;
  let first = 0;
  let repeated = true;
  let separated = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 32 || c === 45) {
      separated = true;
      continue;
    }
    if (c < 48 || c > 57 || count === 10) return notTenDigits;
    if (count < 9) sum += (c - 48) * (10 - count);
    else check = c - 48;
    if (count === 0) first = c;
    else if (c !== first) repeated = false;
    count++;
  }
  if (count !== 10) return notTenDigits;
  if (repeated) return repeatedDigits;
  if (expectedCheck(sum) !== check) return checkMismatch;
  // Only a separated number needs a new string; a clean one is returned as it came.
  return okResult(separated ? s.replace(separators, "") : s);
}

/** For values already normalised to 10 digits (stored forms). */
export function isValidNhsNumber(digits: string): boolean {
  if (digits.length !== 10) return false;
  let sum = 0;
  let repeated = true;
  const first = digits.charCodeAt(0);
  for (let i = 0; i < 10; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (c !== first) repeated = false;
    if (i < 9) sum += (c - 48) * (10 - i);
  }
  return !repeated && expectedCheck(sum) === digits.charCodeAt(9) - 48;
}
