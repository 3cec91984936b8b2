// Calendar dates as integer day numbers (days since 1970-01-01, proleptic Gregorian, no time
// zones), parsed strictly from the formats extracts use: an impossible date is rejected, never
// rolled over the way Date turns 2026-02-30 into 2 March.
import { type FormatResult, failResult } from "./result.ts";

export const MIN_YEAR = 1850;
export const MAX_YEAR = 2199;

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
// the accepted range gets one shared `YYYY-MM-DD` parse result, made on first use, whose value
// is also formatDay's text. One table rather than one of strings and one of results: a century
// of birth dates is tens of thousands of days, and each table lookup is a likely cache miss.
// Preallocated at the exact size (about 0.5 MB), filled so V8 keeps fast elements.
const MIN_DAY = civilToDays(MIN_YEAR, 1, 1);
const DAY_SPAN = civilToDays(MAX_YEAR, 12, 31) - MIN_DAY + 1;
type IsoResult = { readonly ok: true; readonly value: string };
const isoResults: (IsoResult | null)[] = new Array<IsoResult | null>(DAY_SPAN).fill(null);

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));
const pad4 = (n: number): string =>
  n >= 1000 ? String(n) : n >= 0 ? String(n).padStart(4, "0") : `-${pad4(-n)}`;

function isoText(days: number): string {
  const packed = packedFromDay(days);
  const year = Math.floor(packed / 10000);
  const monthDay = packed - year * 10000;
  const month = Math.floor(monthDay / 100);
  return `${pad4(year)}-${pad2(month)}-${pad2(monthDay - month * 100)}`;
}

/**
 * The shared result `{ ok: true, value: "YYYY-MM-DD" }` of a day in the parsing range (what the
 * parsers below return: `isDay(day)`).
 */
export function isoDateResult(day: number): IsoResult {
  const slot = day - MIN_DAY;
  let result = isoResults[slot];
  if (!result) {
    result = Object.freeze({ ok: true as const, value: isoText(day) });
    isoResults[slot] = result;
  }
  return result;
}

/** `YYYY-MM-DD` (years outside 0000..9999 come out longer or signed). */
export function formatDay(days: number): string {
  return isDay(days) ? isoDateResult(days).value : isoText(days);
}

// The parsers return a plain day number, or one of these codes below every day in range: a
// parse on the hot path allocates nothing and reads no table.
const NOT_FORMAT = -1e9;
const NOT_ISO = NOT_FORMAT - 1;
const YEAR_OUT_OF_RANGE = NOT_FORMAT - 2;
const MONTH_OUT_OF_RANGE = NOT_FORMAT - 3;
const DAY_OUT_OF_RANGE = NOT_FORMAT - 4;
const failures = new Map<number, FormatResult<never>>([
  [NOT_FORMAT, failResult("does not match the date format")],
  [NOT_ISO, failResult("not an ISO date")],
  [YEAR_OUT_OF_RANGE, failResult("year out of range")],
  [MONTH_OUT_OF_RANGE, failResult("month out of range")],
  [DAY_OUT_OF_RANGE, failResult("day does not exist in that month")],
]);

/** A parser's answer is a day (in MIN_YEAR..MAX_YEAR), not a failure code. */
export function isDay(n: number): boolean {
  return n >= MIN_DAY && n < MIN_DAY + DAY_SPAN;
}

/** A parser's answer as a result: the day number, or the failure's fixed phrase. */
function resultOf(n: number): FormatResult<number> {
  return isDay(n) ? { ok: true, value: n } : (failures.get(n) as FormatResult<never>);
}

/** Validates y/m/d from a parsed string: the day number or a failure code. */
function dayOrFailure(y: number, m: number, d: number): number {
  if (y < MIN_YEAR || y > MAX_YEAR) return YEAR_OUT_OF_RANGE;
  if (m < 1 || m > 12) return MONTH_OUT_OF_RANGE;
  if (d < 1 || d > daysInMonth(y, m)) return DAY_OUT_OF_RANGE;
  return civilToDays(y, m, d);
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
function isoDatePart(s: string): number {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NOT_FORMAT;
  const y = readDigits(s, 0, 4);
  const m = readDigits(s, 5, 2);
  const d = readDigits(s, 8, 2);
  return y < 0 || m < 0 || d < 0 ? NOT_FORMAT : dayOrFailure(y, m, d);
}

/** `YYYY-MM-DD` (trimmed) as a day number; anything else gives a failure code (see isDay). */
export function isoDay(raw: string): number {
  const s = raw.length === 10 ? raw : raw.trim();
  return s.length === 10 ? isoDatePart(s) : NOT_FORMAT;
}

export function parseIsoDate(raw: string): FormatResult<number> {
  return resultOf(isoDay(raw));
}

// The time after `YYYY-MM-DDT` (sticky: tested in place from index 11, no substring).
const isoTime =
  /(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$/y;

/**
 * The `ISO` format: the date as the source wrote it. A time and offset are checked but never
 * applied: 2026-10-03T23:30-05:00 is 3 October, the day the source system recorded.
 */
function isoDateTimeDay(raw: string): number {
  const s = raw.trim();
  if (s.length < 10) return NOT_ISO;
  if (s.length > 10) {
    const separator = s.charCodeAt(10);
    if (separator !== 84 && separator !== 32) return NOT_ISO;
    isoTime.lastIndex = 11;
    if (!isoTime.test(s)) return NOT_ISO;
  }
  const day = isoDatePart(s);
  return day === NOT_FORMAT ? NOT_ISO : day;
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

function stepsDay(steps: readonly Step[], raw: string): number {
  const s = raw.trim();
  let at = 0;
  let y = 0;
  let m = 0;
  let d = 0;
  for (const step of steps) {
    if (step.kind === LITERAL) {
      if (s.charCodeAt(at++) !== step.char) return NOT_FORMAT;
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
    if (value < 0) return NOT_FORMAT;
    if (step.kind === YEAR) y = value;
    else if (step.kind === MONTH) m = value;
    else d = value;
  }
  return at === s.length ? dayOrFailure(y, m, d) : NOT_FORMAT;
}

/**
 * A format whose fields all have a fixed width (DD/MM/YYYY, YYYYMMDD, ...) puts every character
 * at a known place: read in place, no walk over the steps (the walk cost ~3 % of a run).
 * Same answers as stepsDay, which the tests check on both.
 */
function fixedWidthDay(steps: readonly Step[]): (raw: string) => number {
  let length = 0;
  const literalAt: number[] = [];
  const literalChar: number[] = [];
  const at = [0, 0, 0, 0];
  const width = [0, 0, 0, 0];
  for (const step of steps) {
    if (step.kind === LITERAL) {
      literalAt.push(length);
      literalChar.push(step.char);
      length++;
    } else {
      at[step.kind] = length;
      width[step.kind] = step.width;
      length += step.width;
    }
  }
  const [, yAt, mAt, dAt] = at as [number, number, number, number];
  const [, yWidth, mWidth, dWidth] = width as [number, number, number, number];
  return (raw) => {
    // A value of the right length with a space at either end is wrong whether trimmed or not.
    const s = raw.length === length ? raw : raw.trim();
    if (s.length !== length) return NOT_FORMAT;
    for (let i = 0; i < literalAt.length; i++)
      if (s.charCodeAt(literalAt[i] as number) !== literalChar[i]) return NOT_FORMAT;
    const y = readDigits(s, yAt, yWidth);
    const m = readDigits(s, mAt, mWidth);
    const d = readDigits(s, dAt, dWidth);
    return y < 0 || m < 0 || d < 0 ? NOT_FORMAT : dayOrFailure(y, m, d);
  };
}

/**
 * Compile a date format once; the returned parser runs per record (the raw value is trimmed)
 * and gives a day number, or a failure code that `isDay` tells apart. Tokens YYYY, MM, DD
 * (fixed width) and M, D (1 or 2 digits), each of year, month and day once, with literal
 * separators / - . and space between; or `ISO` (see isoDateTimeDay). Throws for anything else:
 * that is a configuration error, found when the mapping loads. `stepwise` is for the tests: the
 * general parser even where a fixed-width one would do.
 */
export function compileDayParser(
  format: string,
  options: { stepwise?: boolean } = {},
): (raw: string) => number {
  if (format === "ISO") return isoDateTimeDay;
  if (format === "YYYY-MM-DD") return isoDay;
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
  const fixed = steps.every((step) => step.kind === LITERAL || step.width > 0);
  return fixed && options.stepwise !== true ? fixedWidthDay(steps) : (raw) => stepsDay(steps, raw);
}

const isoResult = (raw: string) => resultOf(isoDateTimeDay(raw));

/** compileDayParser's parser with its answers as results (day number or the failure's phrase). */
export function compileDateFormat(
  format: string,
  options: { stepwise?: boolean } = {},
): (raw: string) => FormatResult<number> {
  if (format === "ISO") return isoResult;
  if (format === "YYYY-MM-DD") return parseIsoDate;
  const parse = compileDayParser(format, options);
  return (raw) => resultOf(parse(raw));
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

/**
 * A parser for `format` that answers with the first day of the date's month, written in the
 * same format (so later stages read it as they read the source), or undefined for no date.
 */
export function compileFirstOfMonth(format: string): (raw: string) => string | undefined {
  const parse = compileDayParser(format);
  const pattern = format === "ISO" ? "YYYY-MM-DD" : format;
  return (raw) => {
    const day = parse(raw);
    if (!isDay(day)) return undefined;
    const { year, month } = partsFromDay(day);
    const parts: Record<string, string> = {
      YYYY: String(year).padStart(4, "0"),
      MM: pad2(month),
      M: String(month),
      DD: "01",
      D: "1",
    };
    return pattern.replace(/YYYY|MM|DD|M|D/g, (token) => parts[token] as string);
  };
}
