import { describe, expect, it } from "vitest";
import { isPhinError } from "../../src/errors.ts";
import { clockFrom } from "../../src/time/clock.ts";
import {
  assertPeriodEnded,
  londonDate,
  type Period,
  parsePeriod,
  periodEnded,
  previousPeriod,
} from "../../src/time/period.ts";

describe("periods in Europe/London time", () => {
  it("00:30 BST on 1 August is in August, so `previous` is July", () => {
    const instant = new Date("2026-07-31T23:30:00Z"); // 00:30 BST on 1 August
    expect(londonDate(instant)).toBe("2026-08-01");
    expect(previousPeriod(instant).id).toBe("2026-07");
  });

  it("23:30 GMT on 31 January is still January, so `previous` is December of the year before", () => {
    const instant = new Date("2026-01-31T23:30:00Z");
    expect(previousPeriod(instant).id).toBe("2025-12");
    expect(previousPeriod(new Date("2026-02-01T00:30:00Z")).id).toBe("2026-01");
  });

  it("parses YYYY-MM with its first and last day", () => {
    expect(parsePeriod("2024-02")).toEqual({
      id: "2024-02",
      first: "2024-02-01",
      last: "2024-02-29",
    });
    expect(parsePeriod("2026-13")).toBeUndefined();
  });

  it("a month has ended once its last day is over in London, not in UTC", () => {
    const september = parsePeriod("2026-09") as Period;
    // 23:30 UTC on 30 September is 00:30 BST on 1 October: September is over.
    expect(periodEnded(september, new Date("2026-09-30T22:59:59Z"))).toBe(false);
    expect(periodEnded(september, new Date("2026-09-30T23:00:00Z"))).toBe(true);
    const november = parsePeriod("2026-11") as Period;
    expect(periodEnded(november, new Date("2026-11-30T23:59:59Z"))).toBe(false);
    expect(periodEnded(november, new Date("2026-12-01T00:00:00Z"))).toBe(true);
    expect(periodEnded(november, new Date("2026-10-15T12:00:00Z"))).toBe(false);
  });

  it("assertPeriodEnded refuses a running month with PERIOD_NOT_ENDED naming --period", () => {
    const november = parsePeriod("2026-11") as Period;
    expect(() => assertPeriodEnded(november, new Date("2026-12-01T00:00:00Z"))).not.toThrow();
    try {
      assertPeriodEnded(november, new Date("2026-11-20T10:00:00Z"));
      expect.unreachable();
    } catch (error) {
      expect(isPhinError(error) && error.code).toBe("PERIOD_NOT_ENDED");
      expect(isPhinError(error) && error.field).toBe("--period");
    }
  });
});

describe("the clock: the system's, or PHIN_NOW for tests", () => {
  it("PHIN_NOW fixes every reading; without it the clock runs", () => {
    const fixed = clockFrom({ PHIN_NOW: "2026-12-03T09:00:00+01:00" });
    expect(fixed().toISOString()).toBe("2026-12-03T08:00:00.000Z");
    expect(fixed().getTime()).toBe(fixed().getTime());
    const real = clockFrom({})();
    expect(Math.abs(real.getTime() - Date.now())).toBeLessThan(5000);
  });

  it.each(["yesterday", "2026-12-03", "2026-12-03T09:00:00", "2026-13-03T09:00:00Z", ""])(
    "PHIN_NOW=%j is refused with CONFIG_INVALID naming the variable",
    (value) => {
      try {
        clockFrom({ PHIN_NOW: value });
        expect.unreachable();
      } catch (error) {
        expect(isPhinError(error) && error.code).toBe("CONFIG_INVALID");
        expect(isPhinError(error) && error.field).toBe("PHIN_NOW");
      }
    },
  );
});
