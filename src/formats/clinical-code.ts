// The reading ICD-10 and OPCS-4 codes share: trim, accept at most one dot wherever it sits, take
// letters in either case, and check each character against the code system's rule for its
// position. Each system then finishes the stored form its own way (X padding, local extension).
import { type FormatResult, failResult } from "./result.ts";

const twoDots = failResult("more than one dot");

export interface CodeShape {
  /** Most characters without the dot. */
  readonly maxLength: number;
  /** Fewest characters without the dot. */
  readonly minLength: number;
  readonly tooLong: FormatResult<never>;
  readonly tooShort: FormatResult<never>;
  /** Why upper-case character `c` cannot stand at `position` (0-based), or undefined if it can. */
  readonly refusalAt: (position: number, c: number) => FormatResult<never> | undefined;
}

/**
 * The code without its dot, in upper case, or the reason it is not one. A string on success
 * rather than a result object: this runs for every diagnosis and procedure of every record.
 * A code already in stored form comes back as the same string.
 */
export function scanCode(raw: string, shape: CodeShape): string | FormatResult<never> {
  const s = raw.trim();
  if (s.length > shape.maxLength + 1 || (s.length === shape.maxLength + 1 && !s.includes("."))) {
    return shape.tooLong;
  }
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
    const refusal = shape.refusalAt(length++, c);
    if (refusal !== undefined) return refusal;
  }
  if (length < shape.minLength) return shape.tooShort;
  const code = dotted ? s.replace(".", "") : s;
  // Upper-cased only if it had to be: most codes arrive in upper case, dotted or not.
  return lower ? code.toUpperCase() : code;
}
