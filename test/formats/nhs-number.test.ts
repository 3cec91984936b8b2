import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidNhsNumber, parseNhsNumber } from "../../src/formats/nhs-number.ts";

/** Nine digits plus the check digit they imply, or null when the check would be 10. */
function withCheckDigit(nine: number[]): string | null {
  const sum = nine.reduce((s, d, i) => s + d * (10 - i), 0);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check === 10 ? null : nine.join("") + check;
}

const validNhsNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map(withCheckDigit)
  .filter((n): n is string => n !== null && !/^(\d)\1{9}$/.test(n));

describe("NHS number", () => {
  it.each(["9434765919", "4010232137", "943 476 5919", "943-476-5919"])("%s is valid", (raw) => {
    expect(parseNhsNumber(raw).ok).toBe(true);
  });
  it.each([
    "9434765918",
    "1234567890",
    "943476591",
    "94347659190",
    "943476591X",
    "0000000000",
    "4444444444",
  ])("%s is invalid", (raw) => {
    expect(parseNhsNumber(raw).ok).toBe(false);
  });
  it("normalises spaces and hyphens away", () => {
    expect(parseNhsNumber(" 943 476-5919 ")).toEqual({ ok: true, value: "9434765919" });
  });

  it("property: numbers built with their check digit are valid, with any separators", () => {
    fc.assert(
      fc.property(
        validNhsNumber,
        fc.array(fc.constantFrom(" ", "-", ""), { minLength: 10, maxLength: 10 }),
        (n, seps) => {
          const noisy = [...n].map((d, i) => d + (seps[i] ?? "")).join("");
          expect(parseNhsNumber(noisy)).toEqual({ ok: true, value: n });
        },
      ),
    );
  });

  it("property: changing any one digit of a valid number makes it invalid", () => {
    fc.assert(
      fc.property(
        validNhsNumber,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (n, pos, delta) => {
          const digit = (Number(n[pos]) + delta) % 10;
          const changed = n.slice(0, pos) + digit + n.slice(pos + 1);
          expect(isValidNhsNumber(changed)).toBe(false);
        },
      ),
    );
  });

  it("property: the ten repeated-digit strings are rejected", () => {
    for (let d = 0; d <= 9; d++) expect(parseNhsNumber(String(d).repeat(10)).ok).toBe(false);
  });
});
