import { describe, expect, it } from "vitest";
import { londonDate, parsePeriod, previousPeriod } from "../../src/time/period.ts";

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
});
