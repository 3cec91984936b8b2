import fc from "fast-check";
import { expect, it } from "vitest";
import { readI32, readU32, write32 } from "../../src/io/little-endian.ts";

it("reads and writes 32-bit little-endian integers as Buffer's own methods do", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 4, maxLength: 40 }),
      fc.nat(),
      fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.nat({ max: 2 ** 32 - 1 })),
      (bytes, at, n) => {
        const b = Buffer.from(bytes);
        const o = at % (b.length - 3);
        expect(readU32(b, o)).toBe(b.readUInt32LE(o));
        expect(readI32(b, o)).toBe(b.readInt32LE(o));
        const expected = Buffer.from(b);
        if (n < 0) expected.writeInt32LE(n, o);
        else expected.writeUInt32LE(n, o);
        write32(b, o, n);
        expect(b.equals(expected)).toBe(true);
      },
    ),
    { numRuns: 2000 },
  );
});
