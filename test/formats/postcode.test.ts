import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePostcode } from "../../src/formats/postcode.ts";

const pick = (s: string) => fc.constantFrom(...s);
const first = pick("ABCDEFGHIJKLMNOPRSTUWYZ");
const second = pick("ABCDEFGHKLMNOPQRSTUVWXY");
const digit = pick("0123456789");
const third = pick("ABCDEFGHJKPSTUW");
const fourth = pick("ABEHMNPRVWXY");
const inwardLetter = pick("ABDEFGHJLNPQRSTUWXYZ");
const join = (parts: string[]) => parts.join("");
const inward = fc.tuple(digit, inwardLetter, inwardLetter).map(join);
const outward = fc.oneof(
  fc.tuple(first, digit).map(join), // A9
  fc.tuple(first, digit, digit).map(join), // A99
  fc.tuple(first, second, digit).map(join), // AA9
  fc.tuple(first, second, digit, digit).map(join), // AA99
  fc.tuple(first, digit, third).map(join), // A9A
  fc.tuple(first, second, digit, fourth).map(join), // AA9A
);
const pseudo = fc
  .tuple(digit, pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
  .map(([d, l]) => `ZZ99 ${d}${l}Z`);
const validPostcode = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(outward, inward).map(([o, i]) => `${o} ${i}`) },
  { weight: 1, arbitrary: inward.map((i) => `BF1 ${i}`) },
  { weight: 1, arbitrary: pseudo },
  { weight: 1, arbitrary: fc.constant("GIR 0AA") },
);

/** Random case per character and random white space anywhere, as sources mangle postcodes. */
const noisy = (pc: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: pc.length, maxLength: pc.length }),
      fc.array(fc.constantFrom("", "", "", " ", "  ", "\t", "\u00a0"), {
        minLength: pc.length + 1,
        maxLength: pc.length + 1,
      }),
    )
    .map(([lower, spaces]) => {
      const compact = pc.replace(" ", "");
      let out = spaces[0] ?? "";
      for (let i = 0; i < compact.length; i++) {
        const c = compact[i] ?? "";
        out += (lower[i] ? c.toLowerCase() : c) + (spaces[i + 1] ?? "");
      }
      return out;
    });

/** The rules written as one plain regular expression: the reference for the differential test. */
const reference =
  /^(?:(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}|GIR 0AA|ZZ99 [0-9][A-Z]Z)$/;

const reasons = new Set([
  "too short for a postcode",
  "too long for a postcode",
  "inward code is not a digit and two letters",
  "inward code uses a letter never issued",
  "outward code breaks the postcode shape or letter rules",
]);

describe("postcode", () => {
  it.each([
    ["M1 1AE", "M1 1AE"],
    ["B33 8TH", "B33 8TH"],
    ["CR2 6XH", "CR2 6XH"],
    ["DN55 1PT", "DN55 1PT"],
    ["W1A 0AX", "W1A 0AX"],
    ["N1P 2NG", "N1P 2NG"],
    ["n1p2ng", "N1P 2NG"],
    ["EC1A 1BB", "EC1A 1BB"],
    [" sw1a1aa ", "SW1A 1AA"],
    ["SW1A  1AA", "SW1A 1AA"],
    ["S W 1 A 1 A A", "SW1A 1AA"],
    ["m11ae", "M1 1AE"],
    ["gir0aa", "GIR 0AA"],
    ["BF1 3AA", "BF1 3AA"],
    ["bf13ap", "BF1 3AP"],
    ["ZZ99 3VZ", "ZZ99 3VZ"],
    ["ZZ99 3WZ", "ZZ99 3WZ"],
    ["ZZ99 3CZ", "ZZ99 3CZ"],
    ["zz993gz", "ZZ99 3GZ"],
    ["ZZ99 1WZ", "ZZ99 1WZ"],
    ["ZZ99 2WZ", "ZZ99 2WZ"],
    ["ZZ99 4KZ", "ZZ99 4KZ"],
  ])("%j -> %j", (raw, value) => {
    expect(parsePostcode(raw)).toEqual({ ok: true, value });
  });

  it("hands back a normalised value as it came", () => {
    const raw = "EC1A 1BB";
    const result = parsePostcode(raw);
    expect(result.ok && result.value).toBe(raw);
  });

  it.each([
    ["QA1 1AA", "first letter Q"],
    ["VA1 1AA", "first letter V"],
    ["XA1 1AA", "first letter X"],
    ["Q1 1AA", "first letter Q, A9"],
    ["AI1 1AA", "second letter I"],
    ["AJ1 1AA", "second letter J"],
    ["AZ1 1AA", "second letter Z"],
    ["AZ11 1AA", "second letter Z, AA99"],
    ["AJ1A 1AA", "second letter J, AA9A"],
    ["A1L 1AA", "A9A third position L"],
    ["A1I 1AA", "A9A third position I"],
    ["A1Q 1AA", "A9A third position Q"],
    ["N1R 2NG", "A9A third position R"],
    ["AB1C 1AA", "AA9A fourth position C"],
    ["AB1D 1AA", "AA9A fourth position D"],
    ["M1 1CA", "inward letter C"],
    ["M1 1AI", "inward letter I"],
    ["M1 1AK", "inward letter K"],
    ["M1 1MA", "inward letter M"],
    ["M1 1AO", "inward letter O"],
    ["M1 1AV", "inward letter V"],
    ["BF1 3CA", "British Forces with an inward letter never issued"],
    ["M1 AAA", "inward starts with a letter"],
    ["M1 11A", "inward has two digits"],
    ["ABC1 1AA", "three letters"],
    ["11 1AA", "starts with a digit"],
    ["SW1A1AAA", "too long"],
    ["SW1AB 1AA", "too long"],
    ["M1 1A", "too short"],
    ["", "empty"],
    ["SW1A-1AA", "hyphen"],
    ["ZZ99 3VA", "pseudo not ending in Z"],
    ["ZZ98 3VZ", "not ZZ99"],
    ["GIR 0AB", "not GIR 0AA"],
    ["\u017fW1A 1AA", "long s, which upper-cases to S"],
    ["M1 1\u0131E", "dotless i, which upper-cases to I"],
  ])("%j is invalid (%s)", (raw) => {
    const result = parsePostcode(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(reasons).toContain(result.reason);
  });

  it("accepts every NHS pseudo postcode, though they break the letter rules", () => {
    for (const pc of ["ZZ99 3VZ", "ZZ99 3WZ", "ZZ99 3CZ", "ZZ99 3GZ", "ZZ99 1WZ", "ZZ99 2WZ"]) {
      expect(parsePostcode(pc)).toEqual({ ok: true, value: pc });
    }
  });

  it("property: every valid shape parses from noisy spellings, idempotently, within 8 characters", () => {
    fc.assert(
      fc.property(
        validPostcode.chain((pc) => fc.tuple(fc.constant(pc), noisy(pc))),
        ([pc, raw]) => {
          const parsed = parsePostcode(raw);
          expect(parsed).toEqual({ ok: true, value: pc });
          if (parsed.ok) expect(parsePostcode(parsed.value)).toEqual(parsed);
          expect(pc.length).toBeLessThanOrEqual(8);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("property: an A9A outward code takes P in position 3 with any valid inward code", () => {
    fc.assert(
      fc.property(first, digit, inward, (a, d, i) => {
        expect(parsePostcode(`${a}${d}P ${i}`)).toEqual({ ok: true, value: `${a}${d}P ${i}` });
      }),
    );
  });

  it("property: any string whose first letter is Q, V or X is rejected", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(..."QVXqvx"),
        fc.constantFrom("", " ", "\t"),
        fc.oneof(
          validPostcode.map((pc) => pc.slice(1)),
          fc.string(),
        ),
        (bad, pad, rest) => {
          expect(parsePostcode(pad + bad + rest).ok).toBe(false);
        },
      ),
    );
  });

  it("property: agrees with the rules written as one regular expression", () => {
    const chars = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ZZZ999 ");
    fc.assert(
      fc.property(fc.array(chars, { minLength: 5, maxLength: 8 }).map(join), (raw) => {
        const compact = raw.replace(/\s/g, "");
        const normal = `${compact.slice(0, -3)} ${compact.slice(-3)}`;
        const expected = compact.length <= 7 && reference.test(normal);
        const result = parsePostcode(raw);
        expect(result.ok).toBe(expected);
        if (result.ok) expect(result.value).toBe(normal);
        else expect(reasons).toContain(result.reason);
      }),
      { numRuns: 5000 },
    );
  });
});
