// Calendar dates as integer day numbers (days since 1970-01-01 in the proleptic Gregorian
// calendar; no time zones involved), parsed from the formats extracts use. Impossible dates
// are rejected, never rolled over the way Date would (2026-02-30 is not 2 March).
import { type FormatResult, failResult, okResult } from "./result.ts";

export const MIN_YEAR = 1850;
export const MAX_YEAR = 2199;

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (monthDays[month - 1] ?? 0);
}

/** Days from civil (Howard Hinnant's algorithm): exact for any Gregorian date. */
function civilToDays(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function dayFromParts(year: number, month: number, day: number): number | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day))
    return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return civilToDays(year, month, day);
}

export function partsFromDay(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function formatDay(days: number): string {
  const { year, month, day } = partsFromDay(days);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function checked(year: number, month: number, day: number): FormatResult<number> {
  if (year < MIN_YEAR || year > MAX_YEAR) return failResult("year out of range");
  if (month < 1 || month > 12) return failResult("month out of range");
  const days = dayFromParts(year, month, day);
  return days === undefined ? failResult("day does not exist in that month") : okResult(days);
}

const tokenRe = /YYYY|MM|DD|M|D/g;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isoDateTime =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?$/;

/**
 * Compile a date format once; the returned parser runs per record. Tokens: YYYY, MM, DD (fixed
 * width), M, D (1-2 digits), with literal separators between them; or `ISO`: YYYY-MM-DD with an
 * optional time and offset, of which the date is taken as written (the source's own calendar day).
 * Throws for an unsupported format: that is a configuration error, found at load time.
 */
export function compileDateFormat(format: string): (raw: string) => FormatResult<number> {
  if (format === "ISO") {
    return (raw) => {
      const m = isoDateTime.exec(raw.trim());
      if (m === null) return failResult("not an ISO date");
      return checked(Number(m[1]), Number(m[2]), Number(m[3]));
    };
  }
  const order: ("Y" | "M" | "D")[] = [];
  let source = "^";
  let last = 0;
  for (const match of format.matchAll(tokenRe)) {
    const literal = format.slice(last, match.index);
    if (!/^[/\-. ]*$/.test(literal)) throw new Error(`unsupported date format: ${format}`);
    source += escapeRe(literal);
    const token = match[0];
    source += token === "YYYY" ? "(\\d{4})" : token.length === 2 ? "(\\d{2})" : "(\\d{1,2})";
    order.push(token[0] as "Y" | "M" | "D");
    last = match.index + token.length;
  }
  const tail = format.slice(last);
  if (!/^[/\-. ]*$/.test(tail)) throw new Error(`unsupported date format: ${format}`);
  source += `${escapeRe(tail)}$`;
  if (order.length !== 3 || new Set(order).size !== 3)
    throw new Error(`unsupported date format: ${format}`);
  const re = new RegExp(source);
  const yi = order.indexOf("Y") + 1;
  const mi = order.indexOf("M") + 1;
  const di = order.indexOf("D") + 1;
  return (raw) => {
    const m = re.exec(raw.trim());
    if (m === null) return failResult(`does not match the date format`);
    return checked(Number(m[yi]), Number(m[mi]), Number(m[di]));
  };
}

export const parseIsoDate = compileDateFormat("YYYY-MM-DD");

/** Completed years on `onDay` for someone born on `birthDay` (29 Feb birthdays count on 1 Mar). */
export function ageInYears(birthDay: number, onDay: number): number {
  const b = partsFromDay(birthDay);
  const o = partsFromDay(onDay);
  let age = o.year - b.year;
  if (o.month < b.month || (o.month === b.month && o.day < b.day)) age--;
  return age;
}

/** First and last day of a `YYYY-MM` period, or undefined when it is not one. */
export function periodBounds(period: string): { first: number; last: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) return undefined;
  const first = dayFromParts(year, month, 1) as number;
  return { first, last: first + daysInMonth(year, month) - 1 };
}
