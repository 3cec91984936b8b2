import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPseudoPostcode, parsePostcode, postcodeOutward } from "../../src/formats/postcode.ts";

const pick = (s: string) => fc.constantFrom(...s.split(""));
const first = pick("ABCDEFGHIJKLMNOPRSTUWYZ");
const second = pick("ABCDEFGHKLMNOPQRSTUVWXY");
const digit = pick("0123456789");
const third = pick("ABCDEFGHJKSTUW");
const fourth = pick("ABEHMNPRVWXY");
const inwardLetter = pick("ABDEFGHJLNPQRSTUWXYZ");
const inward = fc.tuple(digit, inwardLetter, inwardLetter).map((p) => p.join(""));
const outward = fc.oneof(
  fc.tuple(first, digit).map((p) => p.join("")),
  fc.tuple(first, digit, digit).map((p) => p.join("")),
  fc.tuple(first, second, digit).map((p) => p.join("")),
  fc.tuple(first, second, digit, digit).map((p) => p.join("")),
  fc.tuple(first, digit, third).map((p) => p.join("")),
  fc.tuple(first, second, digit, fourth).map((p) => p.join("")),
);
const validPostcode = fc.tuple(outward, inward).map(([o, i]) => `${o} ${i}`);

describe("postcode", () => {
  it.each([
    ["M1 1AE", "M1 1AE"],
    ["B33 8TH", "B33 8TH"],
    ["CR2 6XH", "CR2 6XH"],
    ["DN55 1PT", "DN55 1PT"],
    ["W1A 0AX", "W1A 0AX"],
    ["EC1A 1BB", "EC1A 1BB"],
    [" sw1a1aa ", "SW1A 1AA"],
    ["gir0aa", "GIR 0AA"],
    ["BF1 3AA", "BF1 3AA"],
    ["ZZ99 3VZ", "ZZ99 3VZ"],
    ["zz993wz", "ZZ99 3WZ"],
    ["ZZ99 4QZ", "ZZ99 4QZ"],
  ])("%j -> %j", (raw, value) => {
    expect(parsePostcode(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["QA1 1AA", "first letter Q"],
    ["VA1 1AA", "first letter V"],
    ["XA1 1AA", "first letter X"],
    ["AI1 1AA", "second letter I"],
    ["AJ1 1AA", "second letter J"],
    ["AZ1 1AA", "second letter Z"],
    ["A1L 1AA", "A9A third position L"],
    ["AB1C 1AA", "AA9A fourth position C"],
    ["M1 1CA", "inward letter C"],
    ["M1 1AK", "inward letter K"],
    ["M1 1AV", "inward letter V"],
    ["ABC1 1AA", "three letters"],
    ["SW1A1AAA", "too long"],
    ["1AA", "too short"],
  ])("%s is invalid (%s)", (raw) => {
    expect(parsePostcode(raw).ok).toBe(false);
  });

  it("masks to the outward code and knows pseudo postcodes", () => {
    expect(postcodeOutward("SW1A 1AA")).toBe("SW1A");
    expect(isPseudoPostcode("ZZ99 3VZ")).toBe(true);
    expect(isPseudoPostcode("SW1A 1AA")).toBe(false);
  });

  it("property: every valid shape parses, survives case and whitespace noise, and is idempotent", () => {
    fc.assert(
      fc.property(
        validPostcode,
        fc.boolean(),
        fc.constantFrom("", " ", "  ", "\t"),
        (pc, lower, pad) => {
          const noisy = `${pad}${lower ? pc.toLowerCase() : pc}${pad}`.replace(
            " ",
            pad === "" ? "" : " ",
          );
          const parsed = parsePostcode(noisy);
          expect(parsed).toEqual({ ok: true, value: pc });
          if (parsed.ok) expect(parsePostcode(parsed.value)).toEqual(parsed);
          expect(pc.length).toBeLessThanOrEqual(8);
        },
      ),
    );
  });

  it("property: a first letter Q, V or X is always rejected", () => {
    fc.assert(
      fc.property(pick("QVX"), validPostcode, (bad, pc) => {
        expect(parsePostcode(bad + pc.slice(1)).ok).toBe(false);
      }),
    );
  });
});
