import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyTable } from "../../src/validate/key-table.ts";

describe("KeyTable", () => {
  it("property: behaves like a Map from key to first-insertion index, through growth", () => {
    fc.assert(
      fc.property(
        // Mostly one-byte keys, sometimes wider ones: the arena switches to two bytes midway.
        fc.array(
          fc.oneof(
            { weight: 8, arbitrary: fc.string({ minLength: 0, maxLength: 12 }) },
            { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
          ),
          { maxLength: 400 },
        ),
        (keys) => {
          const table = new KeyTable(4);
          const reference = new Map<string, number>();
          for (const key of keys) {
            const expected = reference.get(key) ?? reference.size;
            if (!reference.has(key)) reference.set(key, expected);
            expect(table.intern(key)).toBe(expected);
          }
          for (const [key, index] of reference) {
            expect(table.find(key)).toBe(index);
            expect(table.keyAt(index)).toBe(key);
          }
          expect(table.find("\u0000never")).toBe(-1);
          expect(table.size).toBe(reference.size);
        },
      ),
    );
  });

  it("holds a hundred thousand keys in a few megabytes", () => {
    const table = new KeyTable();
    for (let i = 0; i < 100_000; i++) table.intern(`E${String(i).padStart(8, "0")}`);
    expect(table.size).toBe(100_000);
    // 9-character ids: about 30 bytes each with the table at 131,072 slots' capacity.
    expect(table.bytes).toBeLessThan(5 * 1024 * 1024);
    expect(table.find("E00054321")).toBe(54_321);
  });
});
