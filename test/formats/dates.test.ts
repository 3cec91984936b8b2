import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageInYears,
  compileDateFormat,
  compileFirstOfMonth,
  daysBetween,
  daysInMonth,
  MAX_YEAR,
  MIN_YEAR,
  periodBounds,
} from "../../src/formats/dates.ts";

const parseIsoDate = compileDateFormat("YYYY-MM-DD");
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Date used only as an independent oracle: the ISO text of a day number (days since 1970). */
const isoOfDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
/** The oracle's answer: is y-m-d a real date, not one Date rolls over? */
const isRealDate = (y: number, m: number, d: number): boolean => {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};

const reasons = new Set([
  "year out of range",
  "month out of range",
  "day does not exist in that month",
  "does not match the date format",
  "not an ISO date",
]);
const firstDay = Date.UTC(MIN_YEAR, 0, 1) / 86_400_000;
const lastDay = Date.UTC(MAX_YEAR, 11, 31) / 86_400_000;
/** An ISO date in the accepted range. */
const validDate = fc.integer({ min: firstDay, max: lastDay }).map(isoOfDay);

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
    expect(compileDateFormat(format)(raw)).toEqual({ ok: true, value: iso });
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
    expect(compileDateFormat("ISO")(raw)).toEqual({ ok: true, value: iso });
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
    expect(parseIsoDate("1850-01-01")).toEqual({ ok: true, value: "1850-01-01" });
    expect(parseIsoDate("2199-12-31")).toEqual({ ok: true, value: "2199-12-31" });
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
    "DD\nMM/YYYY",
    "",
    "iso",
  ])("refuses the format %j when it is compiled, naming it", (format) => {
    expect(() => compileDateFormat(format)).toThrow(`unsupported date format "${format}"`);
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
  const formats = ["DD/MM/YYYY", "YYYYMMDD", "MM-DD-YYYY", "YYYY.MM.DD", "DD MM YYYY"];
  const nearlyDates = fc.tuple(
    fc.integer({ min: 0, max: 39 }),
    fc.integer({ min: 0, max: 19 }),
    fc.integer({ min: 1800, max: 2250 }),
    fc.constantFrom("", " ", "\t", "x"),
  );

  it("property: accept exactly the real dates in range, as Date judges them", () => {
    for (const format of formats) {
      const parse = compileDateFormat(format);
      fc.assert(
        fc.property(nearlyDates, ([d, m, y, edge]) => {
          const text = format
            .replace("DD", pad(d))
            .replace("MM", pad(m))
            .replace("YYYY", String(y));
          const raw = edge === "x" ? `${text}0` : `${edge}${text}${edge}`;
          const result = parse(raw);
          const real = edge !== "x" && y >= MIN_YEAR && y <= MAX_YEAR && isRealDate(y, m, d);
          expect(result.ok).toBe(real);
          if (result.ok) expect(result.value).toBe(`${y}-${pad(m)}-${pad(d)}`);
          else expect(reasons).toContain(result.reason);
        }),
        { numRuns: 2000 },
      );
    }
  });

  it("property: refuse any string that does not have the format's shape", () => {
    const digitsAndSeparators = fc
      .array(fc.constantFrom(..."0123456789/-. \t1290"), { maxLength: 14 })
      .map((a) => a.join(""));
    for (const format of formats) {
      const parse = compileDateFormat(format);
      const digits = format
        .replaceAll(".", "\\.")
        .replace(/YYYY|MM|DD/g, (t) => `\\d{${t.length}}`);
      const shape = new RegExp(`^${digits}$`);
      fc.assert(
        fc.property(fc.oneof(fc.string(), digitsAndSeparators), (raw) => {
          const result = parse(raw);
          if (!shape.test(raw.trim())) {
            expect(result).toEqual({ ok: false, reason: "does not match the date format" });
          }
        }),
        { numRuns: 1000 },
      );
    }
  });
});

describe("calendar", () => {
  it("knows month lengths", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([
      31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2026, 13)).toBe(0);
    expect(daysInMonth(2026, 0)).toBe(0);
  });

  it("gives period bounds", () => {
    expect(periodBounds("2026-02")).toEqual({ first: "2026-02-01", last: "2026-02-28" });
    expect(periodBounds("2024-02")).toEqual({ first: "2024-02-01", last: "2024-02-29" });
    expect(periodBounds("2026-12")).toEqual({ first: "2026-12-01", last: "2026-12-31" });
    for (const bad of ["2026-13", "2026-00", "2026-1", "2026-011", "2026/01", "1800-01", "", "x"]) {
      expect(periodBounds(bad)).toBeUndefined();
    }
  });

  it("counts days between dates", () => {
    expect(daysBetween("2026-02-28", "2026-03-01")).toBe(1);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the clocks going forward
    expect(daysBetween("2026-10-03", "2026-10-03")).toBe(0);
    expect(daysBetween("2027-01-01", "2026-12-31")).toBe(-1);
    expect(daysBetween("1900-02-28", "1900-03-01")).toBe(1);
  });

  it("property: days between agrees with counting days", () => {
    const day = fc.integer({ min: firstDay, max: lastDay });
    fc.assert(
      fc.property(day, day, (a, b) => {
        expect(daysBetween(isoOfDay(a), isoOfDay(b))).toBe(b - a);
      }),
      { numRuns: 1000 },
    );
  });

  it("property: every real date parses, in every format", () => {
    const iso = compileDateFormat("ISO");
    const uk = compileDateFormat("DD/MM/YYYY");
    const ukShort = compileDateFormat("D/M/YYYY");
    const dotted = compileDateFormat("DD.MM.YYYY");
    const compact = compileDateFormat("YYYYMMDD");
    fc.assert(
      fc.property(validDate, (text) => {
        const [year, month, dd] = text.split("-").map(Number) as [number, number, number];
        const expected = { ok: true, value: text };
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

describe("first of the month (objection reductions)", () => {
  it.each([
    ["DD/MM/YYYY", "17/05/1960", "01/05/1960"],
    ["D/M/YYYY", "17/5/1960", "1/5/1960"],
    ["M/D/YYYY", "11/7/1960", "11/1/1960"],
    ["YYYYMMDD", "19600517", "19600501"],
    ["YYYY-MM-DD", " 1960-05-17 ", "1960-05-01"],
    ["ISO", "1960-05-17T10:00Z", "1960-05-01"],
  ])("%s: %j becomes %j", (format, raw, reduced) => {
    expect(compileFirstOfMonth(format)(raw)).toBe(reduced);
  });

  it("gives undefined for a value that is no date", () => {
    expect(compileFirstOfMonth("DD/MM/YYYY")("31/02/1960")).toBeUndefined();
    expect(compileFirstOfMonth("ISO")("17/05/1960")).toBeUndefined();
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
    expect(ageInYears(birth, on)).toBe(age);
  });

  it("property: agrees with Date, whose 29 February in a common year rolls to 1 March", () => {
    fc.assert(
      fc.property(validDate, validDate, (birth, on) => {
        const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
        const [oy, om, od] = on.split("-").map(Number) as [number, number, number];
        const birthdayThisYear = Date.UTC(oy, bm - 1, bd);
        const age = oy - by - (birthdayThisYear > Date.UTC(oy, om - 1, od) ? 1 : 0);
        expect(ageInYears(birth, on)).toBe(age);
      }),
      { numRuns: 2000 },
    );
  });
});
