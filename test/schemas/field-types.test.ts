import fc from "fast-check";
import { expect, it } from "vitest";
import { pseudonym } from "../../src/schemas/field-types.ts";

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
