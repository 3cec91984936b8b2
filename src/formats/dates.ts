// Calendar dates, parsed strictly from the formats extracts use and stored as ISO `YYYY-MM-DD`
// text: an impossible date is refused, never rolled over the way Date turns 2026-02-30 into 2 March.
import { type FormatResult, failResult, okResult } from "./result.ts";

export const MIN_YEAR = 1850;
export const MAX_YEAR = 2199;

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return monthLengths[month - 1] ?? 0;
}

/** The ISO text of a year, month and day as written (digits), or why there is no such date. */
function checkDate(yearText: string, monthText: string, dayText: string): FormatResult {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  if (year < MIN_YEAR || year > MAX_YEAR) return failResult("year out of range");
  if (month < 1 || month > 12) return failResult("month out of range");
  if (day < 1 || day > daysInMonth(year, month)) {
    return failResult("day does not exist in that month");
  }
  return okResult(`${yearText}-${monthText.padStart(2, "0")}-${dayText.padStart(2, "0")}`);
}

// The `ISO` format: a date, then optionally a time and an offset, which are checked but never
// applied: 2026-10-03T23:30-05:00 is 3 October, the day the source system recorded.
const isoPattern = new RegExp(
  "^(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})" +
    "(?:[T ](?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d{1,9})?)?" +
    "(?:Z|[+-](?:[01]\\d|2[0-3]):[0-5]\\d)?)?$",
);

const fields: Record<string, { group: string; digits: string }> = {
  YYYY: { group: "year", digits: "\\d{4}" },
  MM: { group: "month", digits: "\\d{2}" },
  DD: { group: "day", digits: "\\d{2}" },
  M: { group: "month", digits: "\\d{1,2}" },
  D: { group: "day", digits: "\\d{1,2}" },
};
const separators = "/-. ";

/** A format such as DD/MM/YYYY as a regular expression with groups year, month and day. */
function formatPattern(format: string): RegExp {
  const unsupported = (why: string) => new Error(`unsupported date format "${format}": ${why}`);
  const tokens = format.match(/YYYY|MM|DD|./gs) ?? [];
  const seen = new Set<string>();
  let source = "";
  for (const [i, token] of tokens.entries()) {
    const field = fields[token];
    if (field === undefined) {
      if (!separators.includes(token)) {
        throw unsupported("unknown token (use YYYY MM DD M D and / - . or space)");
      }
      source += token === "." ? "\\." : token;
      continue;
    }
    if (seen.has(field.group)) throw unsupported("a field appears twice");
    seen.add(field.group);
    // M and D read 1-2 digits greedily: only a separator after them keeps the format unambiguous.
    const next = tokens[i + 1];
    if (token.length === 1 && next !== undefined && fields[next] !== undefined) {
      throw unsupported("M or D must be followed by a separator");
    }
    source += `(?<${field.group}>${field.digits})`;
  }
  if (seen.size !== 3) {
    throw unsupported("needs a year (YYYY), a month (MM or M) and a day (DD or D)");
  }
  return new RegExp(`^${source}$`);
}

/**
 * Compile a date format once; the returned parser runs per record (the raw value is trimmed) and
 * gives the date as `YYYY-MM-DD` or the reason it is not one. Tokens YYYY, MM, DD (fixed width)
 * and M, D (1 or 2 digits), each of year, month and day once, with the separators / - . or space
 * between; or `ISO`. Throws for anything else: a configuration error, found when the mapping loads.
 */
export function compileDateFormat(format: string): (raw: string) => FormatResult {
  const pattern = format === "ISO" ? isoPattern : formatPattern(format);
  const mismatch = format === "ISO" ? "not an ISO date" : "does not match the date format";
  return (raw) => {
    const groups = pattern.exec(raw.trim())?.groups;
    if (groups === undefined) return failResult(mismatch);
    return checkDate(groups.year ?? "", groups.month ?? "", groups.day ?? "");
  };
}

/** Completed years between two ISO dates: a year is added when (month, day) reaches the birthday,
 * so a 29 February birthday counts on 1 March in common years. Negative when `on` < `birth`. */
export function ageInYears(birth: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
}

/** Days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  // Date-only ISO text is read as UTC midnight, so no day is ever 23 or 25 hours long.
  return (Date.parse(to) - Date.parse(from)) / 86_400_000;
}

/** First and last day (ISO) of a `YYYY-MM` period in the year range, or undefined if not one. */
export function periodBounds(period: string): { first: string; last: string } | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  return { first: `${period}-01`, last: `${period}-${daysInMonth(year, month)}` };
}

/**
 * A parser for `format` that answers with the first day of the date's month, written in the
 * same format (so later stages read it as they read the source), or undefined for no date.
 */
export function compileFirstOfMonth(format: string): (raw: string) => string | undefined {
  const parse = compileDateFormat(format);
  const pattern = format === "ISO" ? "YYYY-MM-DD" : format;
  return (raw) => {
    const result = parse(raw);
    if (!result.ok) return undefined;
    const month = result.value.slice(5, 7);
    const parts: Record<string, string> = {
      YYYY: result.value.slice(0, 4),
      MM: month,
      M: String(Number(month)),
      DD: "01",
      D: "1",
    };
    return pattern.replace(/YYYY|MM|DD|M|D/g, (token) => parts[token] ?? token);
  };
}
