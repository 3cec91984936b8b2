// UK postcodes: normalised to OUTWARD + one space + INWARD and checked against the Royal Mail
// shapes and letter rules, plus GIR 0AA, British Forces (BF1) and the NHS pseudo postcodes.
import { type FormatResult, failResult, okResult } from "./result.ts";

const tooShort = failResult("too short for a postcode");
const tooLong = failResult("too long for a postcode");
const badInward = failResult("inward code is not a digit and two letters");
const badInwardLetter = failResult("inward code uses a letter never issued");
const badOutward = failResult("outward code breaks the postcode shape or letter rules");

// Character classes by ASCII code, as bit flags, so each position is one table lookup.
const DIGIT = 1;
const LETTER = 2;
const FIRST = 4; // any position-1 letter but Q V X
const SECOND = 8; // position 2 of AA9, AA99, AA9A: not I J Z
const THIRD = 16; // position 3 of A9A (P since N1P)
const FOURTH = 32; // position 4 of AA9A
const INWARD = 64; // inward letters: never C I K M O V
const classes = new Uint8Array(128);
const mark = (chars: string, flag: number) => {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    classes[c] = (classes[c] ?? 0) | flag;
  }
};
mark("0123456789", DIGIT);
mark("ABCDEFGHIJKLMNOPQRSTUVWXYZ", LETTER);
mark("ABCDEFGHIJKLMNOPRSTUWYZ", FIRST);
mark("ABCDEFGHKLMNOPQRSTUVWXY", SECOND);
mark("ABCDEFGHJKPSTUW", THIRD);
mark("ABEHMNPRVWXY", FOURTH);
mark("ABDEFGHJLNPQRSTUWXYZ", INWARD);

// The compact (space-free, upper-case) characters of the value being parsed.
const compact = new Uint16Array(7);
const is = (i: number, flag: number): boolean => ((classes[compact[i] ?? 0] ?? 0) & flag) !== 0;
const isChars = (text: string, length: number): boolean => {
  for (let i = 0; i < length; i++) if (compact[i] !== text.charCodeAt(i)) return false;
  return true;
};

/** Matches what `\s` and String.prototype.trim treat as white space. */
function isWhiteSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
const allWhiteSpace = /\s+/g;

function standardOutward(length: number): boolean {
  if (!is(0, FIRST)) return false;
  if (length === 2) return is(1, DIGIT);
  if (length === 3) {
    if (is(1, DIGIT)) return is(2, DIGIT) || is(2, THIRD); // A99, A9A
    return is(1, SECOND) && is(2, DIGIT); // AA9, which also covers BF1
  }
  return is(1, SECOND) && is(2, DIGIT) && (is(3, DIGIT) || is(3, FOURTH)); // AA99, AA9A
}

// Pseudo postcodes are exempt from the letter rules (ZZ99 has a second letter Z, 3VZ a V).
const isPseudoCompact = (length: number): boolean =>
  length === 7 && isChars("ZZ99", 4) && is(4, DIGIT) && is(5, LETTER) && compact[6] === 90;

function check(length: number): FormatResult | undefined {
  if (isPseudoCompact(length)) return undefined;
  if (length === 6 && isChars("GIR0AA", 6)) return undefined;
  const inward = length - 3;
  if (!is(inward, DIGIT) || !is(inward + 1, LETTER) || !is(inward + 2, LETTER)) return badInward;
  if (!is(inward + 1, INWARD) || !is(inward + 2, INWARD)) return badInwardLetter;
  return standardOutward(inward) ? undefined : badOutward;
}

export function parsePostcode(raw: string): FormatResult {
  let length = 0;
  let spaces = 0;
  let spaceAt = -1;
  let changed = false;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (isWhiteSpace(c)) {
      if (c === 32) spaceAt = i;
      else changed = true;
      spaces++;
      continue;
    }
    if (length === 7) return tooLong;
    if (c >= 97 && c <= 122) {
      c -= 32;
      changed = true;
    }
    compact[length++] = c;
  }
  if (length < 5) return tooShort;
  const failure = check(length);
  if (failure !== undefined) return failure;
  // Most sources already store the normalised form; only other spellings need a new string.
  if (!changed && spaces === 1 && spaceAt === length - 3) return okResult(raw);
  const s = raw.replace(allWhiteSpace, "").toUpperCase();
  return okResult(`${s.slice(0, -3)} ${s.slice(-3)}`);
}

/**
 * For normalised values. The named NHS codes (ZZ99 3VZ no fixed abode, 3WZ, 3CZ, 3GZ, 1WZ, 2WZ)
 * all fall within the overseas pattern ZZ99 + digit + letter + Z, so the pattern covers them.
 */
export function isPseudoPostcode(normalised: string): boolean {
  if (normalised.length !== 8 || !normalised.startsWith("ZZ99 ")) return false;
  const digit = normalised.charCodeAt(5);
  const letter = normalised.charCodeAt(6);
  return (
    digit >= 48 && digit <= 57 && letter >= 65 && letter <= 90 && normalised.charCodeAt(7) === 90
  );
}

/** The outward code (before the space): all that reports may show of a postcode. */
export function postcodeOutward(normalised: string): string {
  const space = normalised.indexOf(" ");
  return space === -1 ? normalised : normalised.slice(0, space);
}
