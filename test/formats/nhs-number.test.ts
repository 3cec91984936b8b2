import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNhsNumber } from "../../src/formats/nhs-number.ts";

/** The modulus 11 rule written out plainly, as the reference the implementation must agree with. */
function referenceValid(digits: string): boolean {
  if (!/^[0-9]{10}$/.test(digits) || /^(.)\1{9}$/.test(digits)) return false;
  const weights = [10, 9, 8, 7, 6, 5, 4, 3, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(digits[i]), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Nine digits plus the check digit they imply, or null when the check would be 10. */
function withCheckDigit(nine: number[]): string | null {
  const sum = nine.reduce((s, d, i) => s + d * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return null;
  return nine.join("") + (check === 11 ? 0 : check);
}

const validNhsNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map(withCheckDigit)
  .filter((n): n is string => n !== null && !/^(.)\1{9}$/.test(n));

const reasons = new Set([
  "not 10 digits",
  "repeated digits are never issued",
  "check digit does not match",
]);

describe("NHS number", () => {
  it.each([
    ["9434765919", "9434765919"],
    ["4010232137", "4010232137"],
    ["943 476 5919", "9434765919"],
    ["943-476-5919", "9434765919"],
    [" 943 476-5919\t", "9434765919"],
  ])("%j is valid as %j", (raw, value) => {
    expect(parseNhsNumber(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["9434765918", "check digit does not match"],
    ["1234567890", "check digit does not match"],
    ["943476591", "not 10 digits"],
    ["94347659190", "not 10 digits"],
    ["943476591X", "not 10 digits"],
    ["943.476.5919", "not 10 digits"],
    ["943\t476\t5919", "not 10 digits"],
    ["", "not 10 digits"],
    ["0000000000", "repeated digits are never issued"],
    ["4444 444 444", "repeated digits are never issued"],
  ])("%j is invalid: %s", (raw, reason) => {
    expect(parseNhsNumber(raw)).toEqual({ ok: false, reason });
  });

  it("property: numbers built with their check digit are valid and survive separators", () => {
    fc.assert(
      fc.property(
        validNhsNumber,
        fc.array(fc.constantFrom("", "", " ", "-", "  ", " - "), { minLength: 11, maxLength: 11 }),
        (n, seps) => {
          const noisy = seps[0] + [...n].map((d, i) => d + seps[i + 1]).join("");
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
          const changed = n.slice(0, pos) + ((Number(n[pos]) + delta) % 10) + n.slice(pos + 1);
          expect(parseNhsNumber(changed).ok).toBe(false);
        },
      ),
    );
  });

  it("property: the repeated-digit strings are rejected, though they pass the checksum", () => {
    for (let d = 0; d <= 9; d++) {
      const n = String(d).repeat(10);
      expect(parseNhsNumber(n)).toEqual({ ok: false, reason: "repeated digits are never issued" });
    }
  });

  it("property: agrees with the plain modulus 11 rule on any 10 digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{10}$/), (digits) => {
        const expected = referenceValid(digits);
        expect(parseNhsNumber(digits).ok).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("property: a failure is always one of the fixed phrases, never the input", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[0-9 -]{0,14}$/)), (raw) => {
        const result = parseNhsNumber(raw);
        if (!result.ok) expect(reasons).toContain(result.reason);
      }),
    );
  });
});
