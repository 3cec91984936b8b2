// NHS numbers (datasets.md §5.1): 10 digits whose last is a modulus 11 check digit, and not one
// of the ten repeated-digit strings, which pass the checksum but are never issued.
import { type FormatResult, failResult, okResult } from "./result.ts";

const separators = /[\s-]/g;
const tenDigits = /^[0-9]{10}$/;
const repeated = /^(\d)\1{9}$/;

export function isValidNhsNumber(digits: string): boolean {
  if (!tenDigits.test(digits) || repeated.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === digits.charCodeAt(9) - 48;
}

export function parseNhsNumber(raw: string): FormatResult {
  const digits = raw.replace(separators, "");
  if (!tenDigits.test(digits)) return failResult("not 10 digits");
  if (repeated.test(digits)) return failResult("repeated digits are never issued");
  return isValidNhsNumber(digits) ? okResult(digits) : failResult("check digit does not match");
}
