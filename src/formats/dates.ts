// Calendar dates as integer day numbers (days since 1970-01-01, proleptic Gregorian, no time
// zones), parsed strictly from the formats extracts use: an impossible date is rejected, never
// rolled over the way Date turns 2026-02-30 into 2 March.
import { type FormatResult, failResult } from "./result.ts";

export const MIN_YEAR = 1850;
export const MAX_YEAR = 2199;

const yearOutOfRange = failResult("year out of range");
const monthOutOfRange = failResult("month out of range");
const dayOutOfRange = failResult("day does not exist in that month");
const notFormat = failResult("does not match the date format");
const notIso = failResult("not an ISO date");

const monthLengths = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return monthLengths[month] ?? 0;
}

// Counting years from 1 March puts the leap day last, so a day's place in the year depends on
// its month alone; 400-year eras repeat exactly (146,097 days). 719,468 = days 0000-03-01..1970.
function civilToDays(y: number, m: number, d: number): number {
  const year = m > 2 ? y : y - 1;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The inverse of civilToDays, packed as y * 10000 + m * 100 + d to spare an object. */
function packedFromDay(days: number): number {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const fromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * fromMarch + 2) / 5) + 1;
  const month = fromMarch < 10 ? fromMarch + 3 : fromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return year * 10000 + month * 100 + day;
}

/** The day number of a calendar date, or undefined when there is no such date. */
export function dayFromParts(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return civilToDays(year, month, day);
}

export function partsFromDay(days: number): { year: number; month: number; day: number } {
  const packed = packedFromDay(days);
  const year = Math.floor(packed / 10000);
  const monthDay = packed - year * 10000;
  const month = Math.floor(monthDay / 100);
  return { year, month, day: monthDay - month * 100 };
}

// Dates repeat heavily across records (a month of admissions, a century of births): each day in
// the accepted range gets one shared string and one shared parse result, made on first use.
// Preallocated at the exact size (about 1 MB each), filled so V8 keeps fast elements.
const MIN_DAY = civilToDays(MIN_YEAR, 1, 1);
const DAY_SPAN = civilToDays(MAX_YEAR, 12, 31) - MIN_DAY + 1;
const dayTexts: string[] = new Array<string>(DAY_SPAN).fill("");
const dayResults: (FormatResult<number> | null)[] = new Array<FormatResult<number> | null>(
  DAY_SPAN,
).fill(null);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string =>
  n >= 1000 ? String(n) : n >= 0 ? String(n).padStart(4, "0") : `-${pad4(-n)}`;

/** `YYYY-MM-DD` (years outside 0000..9999 come out longer or signed). */
export function formatDay(days: number): string {
  const slot = days - MIN_DAY;
  const cached = slot >= 0 && slot < DAY_SPAN ? dayTexts[slot] : undefined;
  if (cached) return cached;
  const packed = packedFromDay(days);
  const year = Math.floor(packed / 10000);
  const monthDay = packed - year * 10000;
  const month = Math.floor(monthDay / 100);
  const text = `${pad4(year)}-${pad2(month)}-${pad2(monthDay - month * 100)}`;
  if (cached === "") dayTexts[slot] = text;
  return text;
}

/** Validates y/m/d from a parsed string; the year range bounds the result cache too. */
function fromParts(y: number, m: number, d: number): FormatResult<number> {
  if (y < MIN_YEAR || y > MAX_YEAR) return yearOutOfRange;
  if (m < 1 || m > 12) return monthOutOfRange;
  if (d < 1 || d > daysInMonth(y, m)) return dayOutOfRange;
  const days = civilToDays(y, m, d);
  const slot = days - MIN_DAY;
  let result = dayResults[slot];
  if (!result) {
    result = { ok: true, value: days };
    dayResults[slot] = result;
  }
  return result;
}

/** The number written by `count` ASCII digits at `at`, or -1 if any of them is not a digit. */
function readDigits(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1; // also catches NaN past the end
    n = n * 10 + digit;
  }
  return n;
}

/** YYYY-MM-DD at the start of `s` (which may go on). */
function isoDatePart(s: string): FormatResult<number> {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return notFormat;
  const y = readDigits(s, 0, 4);
  const m = readDigits(s, 5, 2);
  const d = readDigits(s, 8, 2);
  return y < 0 || m < 0 || d < 0 ? notFormat : fromParts(y, m, d);
}

export function parseIsoDate(raw: string): FormatResult<number> {
  const s = raw.trim();
  return s.length === 10 ? isoDatePart(s) : notFormat;
}

// The time after `YYYY-MM-DDT` (sticky: tested in place from index 11, no substring).
const isoTime =
  /(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$/y;

/**
 * The `ISO` format: the date as the source wrote it. A time and offset are checked but never
 * applied: 2026-10-03T23:30-05:00 is 3 October, the day the source system recorded.
 */
function parseIsoDateTime(raw: string): FormatResult<number> {
  const s = raw.trim();
  if (s.length < 10) return notIso;
  if (s.length > 10) {
    const separator = s.charCodeAt(10);
    if (separator !== 84 && separator !== 32) return notIso;
    isoTime.lastIndex = 11;
    if (!isoTime.test(s)) return notIso;
  }
  const result = isoDatePart(s);
  return result === notFormat ? notIso : result;
}

const LITERAL = 0;
const YEAR = 1;
const MONTH = 2;
const DAY = 3;
/** One step of a compiled format: a literal character, or a field of `width` digits (0: 1-2). */
interface Step {
  readonly kind: typeof LITERAL | typeof YEAR | typeof MONTH | typeof DAY;
  readonly width: number;
  readonly char: number;
}
const separators = "/-. ";

function parseSteps(steps: readonly Step[], raw: string): FormatResult<number> {
  const s = raw.trim();
  let at = 0;
  let y = 0;
  let m = 0;
  let d = 0;
  for (const step of steps) {
    if (step.kind === LITERAL) {
      if (s.charCodeAt(at++) !== step.char) return notFormat;
      continue;
    }
    let value: number;
    if (step.width > 0) {
      value = readDigits(s, at, step.width);
      at += step.width;
    } else {
      value = readDigits(s, at++, 1);
      const second = readDigits(s, at, 1);
      if (value >= 0 && second >= 0) {
        value = value * 10 + second;
        at++;
      }
    }
    if (value < 0) return notFormat;
    if (step.kind === YEAR) y = value;
    else if (step.kind === MONTH) m = value;
    else d = value;
  }
  return at === s.length ? fromParts(y, m, d) : notFormat;
}

/**
 * Compile a date format once; the returned parser runs per record (the raw value is trimmed).
 * Tokens YYYY, MM, DD (fixed width) and M, D (1 or 2 digits), each of year, month and day once,
 * with literal separators / - . and space between; or `ISO` (see parseIsoDateTime). Throws for
 * anything else: that is a configuration error, found when the mapping loads.
 */
export function compileDateFormat(format: string): (raw: string) => FormatResult<number> {
  if (format === "ISO") return parseIsoDateTime;
  if (format === "YYYY-MM-DD") return parseIsoDate;
  const unsupported = (why: string) => new Error(`unsupported date format "${format}": ${why}`);
  const steps: Step[] = [];
  let i = 0;
  while (i < format.length) {
    const field = (kind: Step["kind"], width: number, length: number) => {
      if (steps.some((step) => step.kind === kind)) throw unsupported("a field appears twice");
      steps.push({ kind, width, char: 0 });
      i += length;
    };
    if (format.startsWith("YYYY", i)) field(YEAR, 4, 4);
    else if (format.startsWith("MM", i)) field(MONTH, 2, 2);
    else if (format.startsWith("DD", i)) field(DAY, 2, 2);
    else if (format[i] === "M") field(MONTH, 0, 1);
    else if (format[i] === "D") field(DAY, 0, 1);
    else if (separators.includes(format[i] ?? "")) {
      steps.push({ kind: LITERAL, width: 0, char: format.charCodeAt(i) });
      i++;
    } else throw unsupported("unknown token (use YYYY MM DD M D and / - . or space)");
  }
  if (steps.filter((step) => step.kind !== LITERAL).length !== 3) {
    throw unsupported("needs a year (YYYY), a month (MM or M) and a day (DD or D)");
  }
  steps.forEach((step, n) => {
    // A 1-2 digit field reads greedily, so it must be followed by a separator to stay unambiguous.
    const next = steps[n + 1];
    if (step.kind !== LITERAL && step.width === 0 && next !== undefined && next.kind !== LITERAL) {
      throw unsupported("M or D must be followed by a separator");
    }
  });
  return (raw) => parseSteps(steps, raw);
}

/** Completed years: a year is added when (month, day) reaches the birth (month, day), so a
 * 29 February birthday counts on 1 March in common years. Negative when onDay < birthDay. */
export function ageInYears(birthDay: number, onDay: number): number {
  // With y * 10000 + m * 100 + d, the difference floored to 10000s is exactly that comparison.
  return Math.floor((packedFromDay(onDay) - packedFromDay(birthDay)) / 10000);
}

/** First and last day of a `YYYY-MM` period (year in range), or undefined when it is not one. */
export function periodBounds(period: string): { first: number; last: number } | undefined {
  if (period.length !== 7 || period.charCodeAt(4) !== 45) return undefined;
  const year = readDigits(period, 0, 4);
  const month = readDigits(period, 5, 2);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  const first = civilToDays(year, month, 1);
  return { first, last: first + daysInMonth(year, month) - 1 };
}
