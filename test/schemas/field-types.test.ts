import fc from "fast-check";
import { expect, it } from "vitest";
import { codeSet, pseudonym } from "../../src/schemas/field-types.ts";
import * as codes from "../../src/schemas/v1/code-sets.ts";

it("the pseudonym field type accepts exactly 64 lowercase hex characters", () => {
  const parse = pseudonym.compile({ dateFormat: "ISO" });
  fc.assert(
    fc.property(fc.string({ maxLength: 70 }), (s) => {
      expect(parse(s).ok).toBe(/^[0-9a-f]{64}$/.test(s));
    }),
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (s) => {
      expect(parse(s).ok).toBe(true);
    }),
  );
  expect(parse(`${"a".repeat(63)}g`).ok).toBe(false);
  expect(parse("A".repeat(64)).ok).toBe(false);
  expect(parse("a".repeat(65)).ok).toBe(false);
});

it("a code-set field type matches exactly the values that upper-case to a code", () => {
  // Unicode included: "ı" upper-cases to "I", "ß" to "SS".
  const sets = (Object.values(codes) as unknown[]).filter(
    (set): set is readonly string[] =>
      Array.isArray(set) && set.every((v) => typeof v === "string"),
  );
  const pieces = fc.constantFrom(..."0123456789aAbBiIxXzZ ıß\u0000é-", "ins", "ured", "SE", "lf");
  for (const values of [...sets, ["01", "A", "I", "99", "OTHER", "Ab"]]) {
    const parse = codeSet(values, "test").compile({ dateFormat: "ISO" });
    const oracle = (raw: string) => values.includes(raw.toUpperCase());
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...values),
          fc.constantFrom(...values).map((v) => v.toLowerCase()),
          fc.array(pieces, { maxLength: 3 }).map((a) => a.join("")),
          fc.string({ maxLength: 3 }),
        ),
        (raw) => {
          const result = parse(raw);
          expect(result.ok).toBe(oracle(raw));
          if (result.ok) expect(result.value).toBe(raw.toUpperCase());
        },
      ),
      { numRuns: 500 },
    );
  }
});
