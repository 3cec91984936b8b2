import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageInYears,
  compileDateFormat,
  dayFromParts,
  daysInMonth,
  formatDay,
  parseIsoDate,
  partsFromDay,
  periodBounds,
} from "../../src/formats/dates.ts";

const day = (iso: string) => {
  const r = parseIsoDate(iso);
  if (!r.ok) throw new Error(iso);
  return r.value;
};

describe("dates", () => {
  it.each([
    ["DD/MM/YYYY", "17/05/1960", "1960-05-17"],
    ["D/M/YYYY", "7/5/1960", "1960-05-07"],
    ["D/M/YYYY", "17/11/1960", "1960-11-17"],
    ["YYYYMMDD", "19600517", "1960-05-17"],
    ["YYYY-MM-DD", "1960-05-17", "1960-05-17"],
    ["DD.MM.YYYY", "17.05.1960", "1960-05-17"],
    ["DD-MM-YYYY", " 17-05-1960 ", "1960-05-17"],
    ["ISO", "2026-10-03", "2026-10-03"],
    ["ISO", "2026-10-03T23:30", "2026-10-03"],
    ["ISO", "2026-10-03 23:30:59", "2026-10-03"],
    ["ISO", "2026-10-03T23:30:59.123Z", "2026-10-03"],
    ["ISO", "2026-10-03T23:30:00+01:00", "2026-10-03"],
    ["ISO", "2026-10-03T00:30:00-05:00", "2026-10-03"],
  ])("%s parses %j as %s", (format, raw, iso) => {
    const result = compileDateFormat(format)(raw);
    expect(result.ok && formatDay(result.value)).toBe(iso);
  });

  it.each([
    ["YYYY-MM-DD", "2026-02-30"],
    ["YYYY-MM-DD", "2025-02-29"],
    ["YYYY-MM-DD", "1900-02-29"],
    ["YYYY-MM-DD", "2026-13-01"],
    ["YYYY-MM-DD", "2026-00-10"],
    ["YYYY-MM-DD", "2026-01-00"],
    ["DD/MM/YYYY", "31/04/2026"],
    ["DD/MM/YYYY", "2026-04-01"],
    ["YYYY-MM-DD", "1800-01-01"],
    ["ISO", "2026-10-03T25:00"],
    ["ISO", "2026-10-3"],
  ])("%s rejects %j", (format, raw) => {
    expect(compileDateFormat(format)(raw).ok).toBe(false);
  });

  it("accepts real leap days", () => {
    expect(parseIsoDate("2024-02-29").ok).toBe(true);
    expect(parseIsoDate("2000-02-29").ok).toBe(true);
  });

  it("refuses unsupported formats at compile time", () => {
    expect(() => compileDateFormat("DD/MMM/YY")).toThrow(/unsupported date format/);
    expect(() => compileDateFormat("YYYY-MM")).toThrow();
    expect(() => compileDateFormat("DD/MM/YYYY hh")).toThrow();
  });

  it("gives period bounds", () => {
    expect(periodBounds("2026-02")).toEqual({ first: day("2026-02-01"), last: day("2026-02-28") });
    expect(periodBounds("2024-02")?.last).toBe(day("2024-02-29"));
    expect(periodBounds("2026-13")).toBeUndefined();
    expect(periodBounds("2026-1")).toBeUndefined();
  });

  const validDay = fc.integer({ min: day("1850-01-01"), max: day("2199-12-31") });

  it("property: formatting then parsing a day gives it back, in every format", () => {
    const iso = compileDateFormat("ISO");
    const uk = compileDateFormat("DD/MM/YYYY");
    const compact = compileDateFormat("YYYYMMDD");
    fc.assert(
      fc.property(validDay, (d) => {
        const text = formatDay(d);
        const [y, m, dd] = text.split("-") as [string, string, string];
        expect(iso(text)).toEqual({ ok: true, value: d });
        expect(uk(`${dd}/${m}/${y}`)).toEqual({ ok: true, value: d });
        expect(compact(`${y}${m}${dd}`)).toEqual({ ok: true, value: d });
        const p = partsFromDay(d);
        expect(dayFromParts(p.year, p.month, p.day)).toBe(d);
      }),
    );
  });

  it("property: a day past the end of its month is always rejected, never rolled over", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1850, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        (y, m, extra) => {
          const d = daysInMonth(y, m) + extra;
          if (d > 99) return;
          const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          expect(parseIsoDate(text).ok).toBe(false);
        },
      ),
    );
  });

  it("property: age agrees with comparing (year, month, day) tuples", () => {
    fc.assert(
      fc.property(validDay, validDay, (a, b) => {
        const [birth, on] = a <= b ? [a, b] : [b, a];
        const p = partsFromDay(birth);
        const q = partsFromDay(on);
        const reference = q.year - p.year - (q.month * 100 + q.day < p.month * 100 + p.day ? 1 : 0);
        expect(ageInYears(birth, on)).toBe(reference);
      }),
    );
  });

  it("a 29 February birthday counts on 1 March in common years", () => {
    expect(ageInYears(day("2000-02-29"), day("2026-02-28"))).toBe(25);
    expect(ageInYears(day("2000-02-29"), day("2026-03-01"))).toBe(26);
  });
});
