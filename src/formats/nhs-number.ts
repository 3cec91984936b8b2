// NHS numbers: 10 digits whose last is a modulus 11 check digit, excluding the ten repeated-digit
// strings, which pass the checksum but are never issued. Spaces and hyphens are layout only.
import { type FormatResult, failResult, okResult } from "./result.ts";

/** Digits 1-9 weighted 10 down to 2; the check digit is 11 minus their sum mod 11 (11 is 0). */
function checkDigitMatches(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  // A remainder of 1 asks for a check digit of 10: no number is issued with it.
  return (11 - (sum % 11)) % 11 === Number(digits[9]);
}

export function parseNhsNumber(raw: string): FormatResult {
  const digits = raw.trim().replace(/[ -]/g, "");
  if (!/^[0-9]{10}$/.test(digits)) return failResult("not 10 digits");
  if (/^(.)\1{9}$/.test(digits)) return failResult("repeated digits are never issued");
  if (!checkDigitMatches(digits)) return failResult("check digit does not match");
  return okResult(digits);
}
