import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageInYears,
  compileDateFormat,
  compileDayParser,
  dayFromParts,
  daysInMonth,
  formatDay,
  isDay,
  isoDateResult,
  MAX_YEAR,
  MIN_YEAR,
  parseIsoDate,
  partsFromDay,
  periodBounds,
} from "../../src/formats/dates.ts";

const day = (iso: string): number => {
  const r = parseIsoDate(iso);
  if (!r.ok) throw new Error(`bad test date ${iso}`);
  return r.value;
};

/** Date used only as an independent oracle for the calendar arithmetic. */
const oracleDay = (y: number, m: number, d: number): number => {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return Math.round(date.getTime() / 86_400_000);
};

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const reasons = new Set([
  "year out of range",
  "month out of range",
  "day does not exist in that month",
  "does not match the date format",
  "not an ISO date",
]);
const firstDay = day(`${MIN_YEAR}-01-01`);
const lastDay = day(`${MAX_YEAR}-12-31`);
const validDay = fc.integer({ min: firstDay, max: lastDay });

describe("date formats", () => {
  it.each([
    ["DD/MM/YYYY", "17/05/1960", "1960-05-17"],
    ["DD/MM/YYYY", " 01/12/2026\t", "2026-12-01"],
    ["D/M/YYYY", "7/5/1960", "1960-05-07"],
    ["D/M/YYYY", "07/05/1960", "1960-05-07"],
    ["D/M/YYYY", "17/11/1960", "1960-11-17"],
    ["M/D/YYYY", "11/7/1960", "1960-11-07"],
    ["YYYY/M/D", "1960/5/7", "1960-05-07"],
    ["YYYYMMDD", "19600517", "1960-05-17"],
    ["YYYY-MM-DD", "1960-05-17", "1960-05-17"],
    ["DD.MM.YYYY", "17.05.1960", "1960-05-17"],
    ["DD-MM-YYYY", " 17-05-1960 ", "1960-05-17"],
    ["D M YYYY", "7 5 1960", "1960-05-07"],
    ["MMDDYYYY", "05171960", "1960-05-17"],
  ])("%s parses %j as %s", (format, raw, iso) => {
    const result = compileDateFormat(format)(raw);
    expect(result.ok && formatDay(result.value)).toBe(iso);
  });

  it.each([
    ["2026-10-03", "2026-10-03"],
    [" 2026-10-03 ", "2026-10-03"],
    ["2026-10-03T23:30", "2026-10-03"],
    ["2026-10-03 23:30", "2026-10-03"],
    ["2026-10-03T23:30:59", "2026-10-03"],
    ["2026-10-03 23:30:59.123", "2026-10-03"],
    ["2026-10-03T23:30:59.123Z", "2026-10-03"],
    ["2026-10-03T23:30Z", "2026-10-03"],
    // The date as written, never converted: in UTC these would be 4 and 2 October.
    ["2026-10-03T23:30:00-05:00", "2026-10-03"],
    ["2026-10-03T00:30:00+01:00", "2026-10-03"],
    ["2026-10-03T00:00:00.000+14:00", "2026-10-03"],
  ])("ISO parses %j as %s", (raw, iso) => {
    const result = compileDateFormat("ISO")(raw);
    expect(result.ok && formatDay(result.value)).toBe(iso);
  });

  it.each([
    "2026-10-03T25:00",
    "2026-10-03T24:00",
    "2026-10-03T12",
    "2026-10-03T12:60",
    "2026-10-03T12:00:61",
    "2026-10-03T12:00:00.",
    "2026-10-03T12:00:00+0100",
    "2026-10-03T12:00:00+01",
    "2026-10-03T12:00:00 Z",
    "2026-10-03X12:00",
    "2026-10-03T",
    "2026-10-03Z",
    "2026-10-3",
    "26-10-03",
    "2026/10/03",
    "03/10/2026",
    "",
  ])("ISO rejects %j", (raw) => {
    expect(compileDateFormat("ISO")(raw)).toEqual({ ok: false, reason: "not an ISO date" });
  });

  it.each([
    ["YYYY-MM-DD", "2026-02-30", "day does not exist in that month"],
    ["YYYY-MM-DD", "2025-02-29", "day does not exist in that month"],
    ["YYYY-MM-DD", "1900-02-29", "day does not exist in that month"],
    ["YYYY-MM-DD", "2026-04-31", "day does not exist in that month"],
    ["YYYY-MM-DD", "2026-01-00", "day does not exist in that month"],
    ["YYYY-MM-DD", "2026-01-32", "day does not exist in that month"],
    ["YYYY-MM-DD", "2026-13-01", "month out of range"],
    ["YYYY-MM-DD", "2026-00-10", "month out of range"],
    ["YYYY-MM-DD", "1849-12-31", "year out of range"],
    ["YYYY-MM-DD", "2200-01-01", "year out of range"],
    ["YYYY-MM-DD", "0000-01-01", "year out of range"],
    ["ISO", "2026-02-30T10:00", "day does not exist in that month"],
    ["ISO", "1800-01-01T10:00Z", "year out of range"],
    ["DD/MM/YYYY", "31/04/2026", "day does not exist in that month"],
    ["DD/MM/YYYY", "29/02/2026", "day does not exist in that month"],
    ["D/M/YYYY", "0/5/2026", "day does not exist in that month"],
    ["D/M/YYYY", "1/13/2026", "month out of range"],
    ["DD/MM/YYYY", "2026-04-01", "does not match the date format"],
    ["DD/MM/YYYY", "1/5/2026", "does not match the date format"],
    ["DD/MM/YYYY", "01/05/26", "does not match the date format"],
    ["DD/MM/YYYY", "01/05/2026 10:00", "does not match the date format"],
    ["DD/MM/YYYY", "01-05-2026", "does not match the date format"],
    ["D/M/YYYY", "001/5/2026", "does not match the date format"],
    ["D/M/YYYY", "/5/2026", "does not match the date format"],
    ["YYYYMMDD", "2026051", "does not match the date format"],
    ["YYYYMMDD", "202605170", "does not match the date format"],
    ["YYYYMMDD", "２０２６0517", "does not match the date format"],
    ["YYYY-MM-DD", "2026-05-17T10:00", "does not match the date format"],
    ["YYYY-MM-DD", "", "does not match the date format"],
  ])("%s rejects %j: %s", (format, raw, reason) => {
    expect(compileDateFormat(format)(raw)).toEqual({ ok: false, reason });
  });

  it("accepts real leap days only", () => {
    expect(parseIsoDate("2024-02-29").ok).toBe(true);
    expect(parseIsoDate("2000-02-29").ok).toBe(true);
    expect(parseIsoDate("1904-02-29").ok).toBe(true);
    expect(parseIsoDate("2026-02-29").ok).toBe(false);
    expect(parseIsoDate("1900-02-29").ok).toBe(false);
    expect(parseIsoDate("2100-02-29").ok).toBe(false);
  });

  it("accepts the ends of the year range", () => {
    expect(formatDay(day("1850-01-01"))).toBe("1850-01-01");
    expect(formatDay(day("2199-12-31"))).toBe("2199-12-31");
  });

  it.each([
    "DD/MMM/YY",
    "YY-MM-DD",
    "YYYY-MM",
    "MM/YYYY",
    "DD/MM/YYYY hh",
    "dd/mm/yyyy",
    "DD/MM/YYYY/DD",
    "YYYY-M-MM",
    "DMYYYY",
    "YYYYMD",
    "DD,MM,YYYY",
    "",
    "iso",
  ])("refuses the format %j when it is compiled, naming it", (format) => {
    expect(() => compileDateFormat(format)).toThrow(`unsupported date format "${format}"`);
  });

  it("compiles the ISO formats to shared parsers", () => {
    expect(compileDateFormat("YYYY-MM-DD")).toBe(parseIsoDate);
    expect(compileDateFormat("ISO")).toBe(compileDateFormat("ISO"));
  });

  it("property: a failure is always one of the fixed phrases, and parsers never throw", () => {
    const parsers = ["ISO", "YYYY-MM-DD", "DD/MM/YYYY", "D/M/YYYY", "YYYYMMDD"].map((format) =>
      compileDateFormat(format),
    );
    const chars = fc.constantFrom(..."0123456789/-.: TZ+");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(chars, { maxLength: 30 }).map((a) => a.join("")),
        ),
        (raw) => {
          for (const parse of parsers) {
            const result = parse(raw);
            if (!result.ok) expect(reasons).toContain(result.reason);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("fixed-width formats", () => {
  // DD/MM/YYYY and the like are read in place rather than step by step: the two must agree on
  // every string, answers and failure phrases alike.
  const formats = ["DD/MM/YYYY", "YYYYMMDD", "MM-DD-YYYY", "YYYY.MM.DD", "DD MM YYYY"];
  const digitsAndSeparators = fc
    .array(fc.constantFrom(..."0123456789/-. \t1290"), { maxLength: 14 })
    .map((a) => a.join(""));
  const nearlyDates = fc
    .tuple(
      fc.integer({ min: 0, max: 39 }),
      fc.integer({ min: 0, max: 19 }),
      fc.integer({ min: 1800, max: 2250 }),
      fc.constantFrom("", " ", "\t", "x"),
    )
    .map(([d, m, y, edge]) => [pad(d), pad(m), String(y), edge] as const);

  it("property: agree with the stepwise parser, failures included", () => {
    for (const format of formats) {
      const fixed = compileDateFormat(format);
      const stepwise = compileDateFormat(format, { stepwise: true });
      expect(fixed).not.toBe(stepwise);
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string(),
            digitsAndSeparators,
            nearlyDates.map(([d, m, y, edge]) => {
              const text = format.replace("DD", d).replace("MM", m).replace("YYYY", y);
              return edge === "x" ? `${text}0` : `${edge}${text}${edge}`;
            }),
          ),
          (raw) => {
            expect(fixed(raw)).toEqual(stepwise(raw));
          },
        ),
        { numRuns: 3000 },
      );
    }
  });

  it("give the day's shared ISO result to the date field type", () => {
    const parse = compileDayParser("DD/MM/YYYY");
    const a = parse("03/10/2026");
    expect(isDay(a)).toBe(true);
    expect(isoDateResult(a)).toEqual({ ok: true, value: "2026-10-03" });
    expect(isoDateResult(parse(" 03/10/2026 "))).toBe(isoDateResult(a));
    expect(isDay(parse("31/09/2026"))).toBe(false);
    expect(isDay(parse("03/10/1849"))).toBe(false);
  });
});

describe("day numbers", () => {
  it("counts days from 1970-01-01", () => {
    expect(dayFromParts(1970, 1, 1)).toBe(0);
    expect(dayFromParts(1969, 12, 31)).toBe(-1);
    expect(dayFromParts(2000, 3, 1)).toBe(11_017);
    expect(partsFromDay(0)).toEqual({ year: 1970, month: 1, day: 1 });
    expect(partsFromDay(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    expect(formatDay(0)).toBe("1970-01-01");
    expect(formatDay(day("2026-10-03"))).toBe("2026-10-03");
  });

  it("gives undefined for impossible parts", () => {
    expect(dayFromParts(2026, 2, 29)).toBeUndefined();
    expect(dayFromParts(2026, 13, 1)).toBeUndefined();
    expect(dayFromParts(2026, 0, 1)).toBeUndefined();
    expect(dayFromParts(2026, 1, 0)).toBeUndefined();
    expect(dayFromParts(2026, 1.5, 1)).toBeUndefined();
    expect(dayFromParts(Number.NaN, 1, 1)).toBeUndefined();
    expect(dayFromParts(2024, 2, 29)).toBe(day("2024-02-29"));
  });

  it("formats days outside the parsing range too", () => {
    expect(formatDay(dayFromParts(1700, 1, 1) as number)).toBe("1700-01-01");
    expect(formatDay(dayFromParts(2400, 2, 29) as number)).toBe("2400-02-29");
    expect(formatDay(dayFromParts(5, 3, 1) as number)).toBe("0005-03-01");
  });

  it("knows month lengths", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2026, 13)).toBe(0);
  });

  it("gives period bounds", () => {
    expect(periodBounds("2026-02")).toEqual({ first: day("2026-02-01"), last: day("2026-02-28") });
    expect(periodBounds("2024-02")).toEqual({ first: day("2024-02-01"), last: day("2024-02-29") });
    expect(periodBounds("2026-12")).toEqual({ first: day("2026-12-01"), last: day("2026-12-31") });
    for (const bad of ["2026-13", "2026-00", "2026-1", "2026-011", "2026/01", "1800-01", "", "x"]) {
      expect(periodBounds(bad)).toBeUndefined();
    }
  });

  it("property: calendar arithmetic agrees with Date, far beyond the parsing range", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (d) => {
        const { year, month, day: dd } = partsFromDay(d);
        expect(oracleDay(year, month, dd)).toBe(d);
        expect(dayFromParts(year, month, dd)).toBe(d);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: formatDay agrees with Date and then parses back, in every format", () => {
    const iso = compileDateFormat("ISO");
    const uk = compileDateFormat("DD/MM/YYYY");
    const ukShort = compileDateFormat("D/M/YYYY");
    const dotted = compileDateFormat("DD.MM.YYYY");
    const compact = compileDateFormat("YYYYMMDD");
    fc.assert(
      fc.property(validDay, (d) => {
        const text = formatDay(d);
        expect(text).toBe(new Date(d * 86_400_000).toISOString().slice(0, 10));
        expect(formatDay(d)).toBe(text);
        const { year, month, day: dd } = partsFromDay(d);
        const expected = { ok: true, value: d };
        expect(parseIsoDate(text)).toEqual(expected);
        expect(iso(text)).toEqual(expected);
        expect(iso(`${text}T12:34:56.789+05:30`)).toEqual(expected);
        expect(uk(`${pad(dd)}/${pad(month)}/${year}`)).toEqual(expected);
        expect(ukShort(`${dd}/${month}/${year}`)).toEqual(expected);
        expect(dotted(`${pad(dd)}.${pad(month)}.${year}`)).toEqual(expected);
        expect(compact(`${year}${pad(month)}${pad(dd)}`)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: a day past the end of its month is always rejected, never rolled over", () => {
    const uk = compileDateFormat("DD/MM/YYYY");
    const ukShort = compileDateFormat("D/M/YYYY");
    fc.assert(
      fc.property(
        fc.integer({ min: MIN_YEAR, max: MAX_YEAR }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 99 }),
        (y, m, extra) => {
          const d = daysInMonth(y, m) + extra;
          if (d > 99) return;
          const rejected = { ok: false, reason: "day does not exist in that month" };
          expect(parseIsoDate(`${y}-${pad(m)}-${pad(d)}`)).toEqual(rejected);
          expect(uk(`${pad(d)}/${pad(m)}/${y}`)).toEqual(rejected);
          expect(ukShort(`${d}/${m}/${y}`)).toEqual(rejected);
          expect(dayFromParts(y, m, d)).toBeUndefined();
        },
      ),
    );
  });

  it("property: years outside 1850..2199 are rejected", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: MIN_YEAR - 1 }),
          fc.integer({ min: MAX_YEAR + 1, max: 9999 }),
        ),
        (y) => {
          expect(parseIsoDate(`${pad(y, 4)}-06-15`)).toEqual({
            ok: false,
            reason: "year out of range",
          });
        },
      ),
    );
  });
});

describe("age", () => {
  it.each([
    ["2000-02-29", "2026-02-28", 25],
    ["2000-02-29", "2026-03-01", 26],
    ["2000-02-29", "2024-02-29", 24],
    ["1960-05-17", "2026-05-16", 65],
    ["1960-05-17", "2026-05-17", 66],
    ["2026-10-03", "2026-10-03", 0],
    ["2025-10-04", "2026-10-03", 0],
    ["2026-10-04", "2026-10-03", -1],
  ])("born %s, on %s: %i", (birth, on, age) => {
    expect(ageInYears(day(birth), day(on))).toBe(age);
  });

  it("property: agrees with comparing (year, month, day) tuples", () => {
    fc.assert(
      fc.property(validDay, validDay, (birth, on) => {
        const b = partsFromDay(birth);
        const o = partsFromDay(on);
        const beforeBirthday = o.month < b.month || (o.month === b.month && o.day < b.day);
        expect(ageInYears(birth, on)).toBe(o.year - b.year - (beforeBirthday ? 1 : 0));
      }),
      { numRuns: 2000 },
    );
  });
});
