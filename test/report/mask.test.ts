import { describe, expect, it } from "vitest";
import { maskValue } from "../../src/validate/mask.ts";

describe("maskValue (docs/data-protection.md)", () => {
  it("shows only the last 4 digits of an NHS number", () => {
    expect(maskValue("nhs_number", "943 476 5918")).toBe("******5918");
  });
  it("shows only the outward code of a postcode", () => {
    expect(maskValue("postcode", "sw1a 1aa")).toBe("SW1A ***");
  });
  it("shows only the year of a date of birth", () => {
    expect(maskValue("year", "17/05/1960")).toBe("1960-**-**");
  });
  it("never shows a hidden value, nor a code-typed value that does not look like a code", () => {
    expect(maskValue("hidden", "MRN-12345")).toBeNull();
    expect(maskValue("code", "Mrs O'Brien, 12 High Street")).toBeNull();
    expect(maskValue("code", "W37.12")).toBe("W37.12");
  });
});

describe("maskValue withholds words", () => {
  it("does not show mixed-case words even in code fields", () => {
    expect(maskValue("code", "Featherstonehaugh")).toBeNull();
    expect(maskValue("code", "forty")).toBeNull();
    expect(maskValue("code", "PRIVATE")).toBe("PRIVATE");
  });
});
