// UK postcodes (datasets.md §5.2): normalised to OUTWARD + one space + INWARD, checked against
// the Royal Mail shapes and letter rules, plus GIR 0AA, British Forces and NHS pseudo postcodes.
import { type FormatResult, failResult, okResult } from "./result.ts";

const whitespace = /\s+/g;
// Outward shapes A9 A99 AA9 AA99 A9A AA9A with their position rules, then inward 9AA.
const standard =
  /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}$/;
const forces = /^BF1 [0-9][ABD-HJLNP-UW-Z]{2}$/;
const pseudo = new Set(["ZZ99 3VZ", "ZZ99 3WZ", "ZZ99 3CZ", "ZZ99 3GZ", "ZZ99 1WZ", "ZZ99 2WZ"]);
const overseas = /^ZZ99 [0-9][A-Z]Z$/;

export function isPseudoPostcode(normalised: string): boolean {
  return pseudo.has(normalised) || overseas.test(normalised);
}

export function parsePostcode(raw: string): FormatResult {
  const compact = raw.replace(whitespace, "").toUpperCase();
  if (compact.length < 5 || compact.length > 7) return failResult("wrong length for a postcode");
  const value = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
  if (
    standard.test(value) ||
    forces.test(value) ||
    value === "GIR 0AA" ||
    isPseudoPostcode(value)
  ) {
    return okResult(value);
  }
  return failResult("not a valid UK postcode shape");
}

/** The outward code (before the space): what reports may show of a postcode. */
export function postcodeOutward(normalised: string): string {
  const space = normalised.indexOf(" ");
  return space === -1 ? normalised : normalised.slice(0, space);
}
