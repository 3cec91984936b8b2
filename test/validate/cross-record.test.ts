import fc from "fast-check";
import { expect, it } from "vitest";
import { pseudonymWord } from "../../src/validate/cross-record.ts";

it("pseudonymWord reads the same 32 bits as parseInt over the hex, at 0 and 8", () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), (p) => {
      expect(pseudonymWord(p, 0)).toBe(Number.parseInt(p.slice(0, 8), 16) >>> 0);
      expect(pseudonymWord(p, 8)).toBe(Number.parseInt(p.slice(8, 16), 16) >>> 0);
    }),
  );
  expect(pseudonymWord(`${"f".repeat(16)}${"0".repeat(48)}`, 8)).toBe(0xffffffff);
});
