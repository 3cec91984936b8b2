// The one rule for how a value may appear in analysts' reports (docs/data-protection.md): an
// allow-list. A value is shown as received only when its field's type says it is a
// non-identifying code AND the value proved to be one (a member of the field's code set or code
// list, or a closed national format that cannot hold a name). Identifiers keep their masks (NHS
// number last 4 digits, postcode outward code, date of birth year only). Everything else is shown
// as its shape (`Aaaaa`, `9999 9999`, `A9A 9AA`) or, when long, its length: never its characters.
import type { Shown } from "../schemas/field-types.ts";

declare const shownBrand: unique symbol;
/** A value that passed this module's rule; the only kind of value an issue can carry. */
export type ShownValue = string & { readonly [shownBrand]: true };

/**
 * What the field's own check made of the value: `member` of its code set or configured code list,
 * `well_formed` (its format holds, its list, if any, does not), or `invalid`.
 */
export type Verdict = "member" | "well_formed" | "invalid";

export interface ShowOptions {
  /** ISO date: clinical dates before it are shown as their year (a date of birth in the wrong column). */
  readonly recentFrom?: string;
}

const as = (value: string) => value as ShownValue;

/** Longer values are shown as their length: a shape that long says little and could say too much. */
const MAX_SHAPE = 20;
/** Numbers are shown up to this length; a longer one may be a phone or card number. */
const MAX_NUMBER = 5;
const keptPunctuation = /[-./:,'()@+_&#]/;

/** Letters become A or a, digits 9, white space one space, common punctuation stays, the rest `?`. */
export function shapeOf(raw: string): ShownValue {
  const chars = [...raw.trim()];
  if (chars.length > MAX_SHAPE) return as(`(${chars.length} characters)`);
  let shape = "";
  for (const c of chars) {
    if (/\p{Lu}|\p{Lt}/u.test(c)) shape += "A";
    else if (/\p{L}/u.test(c)) shape += "a";
    else if (/\p{Nd}/u.test(c)) shape += "9";
    else if (/\s/u.test(c)) shape += " ";
    else shape += keptPunctuation.test(c) ? c : "?";
  }
  return as(shape);
}

const isoDate = /^(\d{4})-\d{2}-\d{2}$/;
/** A date as sources write it (day-month-year, year-month-day, compact), with a plausible year. */
const datelike =
  /^(?:\d{1,2}[-/. ]\d{1,2}[-/. ](\d{4})|(\d{4})[-/. ]?\d{1,2}[-/. ]?\d{1,2})(?:[T ].*)?$/;

function yearOf(raw: string): ShownValue | null {
  const match = datelike.exec(raw.trim());
  const year = match?.[1] ?? match?.[2];
  return year !== undefined && year >= "1800" && year <= "2199" ? as(year) : null;
}

function nhsNumberMask(raw: string): ShownValue {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/[\s-]/g, "");
  return /^\d{10}$/.test(digits) ? as(`******${digits.slice(-4)}`) : shapeOf(trimmed);
}

const postcodeLike = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?[0-9][A-Z]{2}$/;

function postcodeMask(raw: string): ShownValue {
  const compact = raw.trim().replace(/\s+/g, " ").toUpperCase();
  const outward = postcodeLike.exec(compact)?.[1];
  return outward === undefined ? shapeOf(raw) : as(`${outward} ***`);
}

function dateShown(raw: string, verdict: Verdict, options: ShowOptions): ShownValue {
  const iso = isoDate.exec(raw.trim());
  if (verdict === "invalid" || iso === null) return shapeOf(raw);
  const recent = options.recentFrom !== undefined && raw.trim() >= options.recentFrom;
  return recent ? as(raw.trim()) : as(iso[1] as string);
}

/** How a field's value appears in report.json, report.html and issues.csv; null: not at all. */
export function showValue(
  shown: Shown,
  raw: string,
  verdict: Verdict,
  options: ShowOptions = {},
): ShownValue | null {
  const value = raw.trim();
  switch (shown) {
    case "code":
      return verdict === "member" ? as(value.toUpperCase()) : shapeOf(value);
    case "format":
      return verdict === "invalid" ? shapeOf(value) : as(value.toUpperCase());
    case "local_id":
      return verdict === "invalid" ? shapeOf(value) : as(value);
    case "number":
      return verdict !== "invalid" && value.length <= MAX_NUMBER ? as(value) : shapeOf(value);
    case "date":
      return dateShown(value, verdict, options);
    case "date_of_birth":
      return yearOf(value) ?? shapeOf(value);
    case "nhs_number":
      return nhsNumberMask(value);
    case "postcode":
      return postcodeMask(value);
    case "hidden":
      return null;
  }
}

/** A stored value (it passed its field's checks, so it is a member) of a field of type `shown`. */
export function showStored(
  shown: Shown,
  stored: string | number,
  options: ShowOptions = {},
): ShownValue | null {
  return showValue(shown, String(stored), "member", options);
}

/** A value of a closed code set that is not the reporting field's own (a linked record's). */
export function showMember(codes: readonly string[], value: string): ShownValue {
  return codes.includes(value) ? as(value) : shapeOf(value);
}

/** A number the pipeline computed (a count, an age): not a source value. */
export function showCount(n: number): ShownValue {
  return Number.isInteger(n) && Math.abs(n) < 100_000 ? as(String(n)) : shapeOf(String(n));
}

/** Values that were each shown, side by side (`4/19`). */
export function showPair(a: ShownValue | null, b: ShownValue | null): ShownValue | null {
  return a === null || b === null ? null : as(`${a}/${b}`);
}
