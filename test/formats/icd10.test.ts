import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseIcd10 } from "../../src/formats/icd10.ts";
import { icd10 } from "../../src/schemas/field-types.ts";

const letter = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ");
const digit = fc.constantFrom(..."0123456789");
const join = (parts: string[]) => parts.join("");

/** Stored forms of every length: category + X, 4, 5 and 6 characters. */
const storedCode = fc.oneof(
  fc.tuple(letter, digit, digit).map((p) => `${join(p)}X`),
  fc.tuple(letter, digit, digit, digit).map(join),
  fc
    .tuple(
      letter,
      digit,
      digit,
      fc.constantFrom(..."0123456789X"),
      fc.oneof(digit, fc.constant("-")),
    )
    .map(join),
  fc
    .tuple(
      letter,
      digit,
      digit,
      fc.constantFrom(..."0123456789X"),
      fc.oneof(digit, fc.constant("-")),
      fc.constantFrom("A", "D"),
    )
    .map(join),
);

/** A stored code as a source might write it: padding X dropped, a dot anywhere, any case, spaces. */
const spelling = (stored: string) =>
  fc
    .tuple(
      fc.boolean(),
      fc.integer({ min: 0, max: stored.length }),
      fc.boolean(),
      fc.array(fc.boolean(), { minLength: stored.length, maxLength: stored.length }),
      fc.constantFrom("", " ", "  ", "\t"),
      fc.constantFrom("", " ", "\r\n"),
    )
    .map(([dropX, dotAt, dot, lower, before, after]) => {
      const code =
        dropX && stored.length === 4 && stored.endsWith("X") ? stored.slice(0, 3) : stored;
      const cased = [...code].map((c, i) => (lower[i] ? c.toLowerCase() : c)).join("");
      const at = Math.min(dotAt, cased.length);
      return before + (dot ? `${cased.slice(0, at)}.${cased.slice(at)}` : cased) + after;
    });

const rule = /^[A-Z][0-9]{2}([0-9X]([0-9-]([AD])?)?)?$/;

const reasons = new Set([
  "too short for an ICD-10 code",
  "too long for an ICD-10 code",
  "more than one dot",
  "does not start with a letter and two digits",
  "position 4 is not a digit or X",
  "position 5 is not a digit or -",
  "position 6 is not A or D",
]);

describe("ICD-10", () => {
  it.each([
    ["K35.1", "K351"],
    ["K351", "K351"],
    ["k35.1 ", "K351"],
    ["I10", "I10X"],
    ["i10.", "I10X"],
    ["I10X", "I10X"],
    ["I10.X", "I10X"],
    ["M16.1", "M161"],
    ["S72.00", "S7200"],
    ["M01.1-D", "M011-D"],
    ["A17.0-A", "A170-A"],
    ["G01X-A", "G01X-A"],
    ["M0119D", "M0119D"],
    ["  c50.9\t", "C509"],
  ])("%j is stored as %j", (raw, value) => {
    expect(parseIcd10(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["1234", "does not start with a letter and two digits"],
    ["KK35", "does not start with a letter and two digits"],
    ["K3A1", "does not start with a letter and two digits"],
    ["K3", "too short for an ICD-10 code"],
    ["", "too short for an ICD-10 code"],
    ["K35.Y", "position 4 is not a digit or X"],
    ["K35.1/", "position 5 is not a digit or -"],
    ["A00.4B", "position 5 is not a digit or -"],
    ["A004B", "position 5 is not a digit or -"],
    ["K35XXA", "position 5 is not a digit or -"],
    ["S72.0A", "position 5 is not a digit or -"],
    ["M01.1D", "position 5 is not a digit or -"],
    ["M01.1-B", "position 6 is not A or D"],
    ["K35.1Q9", "position 5 is not a digit or -"],
    ["K351Q9X", "too long for an ICD-10 code"],
    ["K35.12B", "position 6 is not A or D"],
    ["K35.1234", "too long for an ICD-10 code"],
    ["K35..1", "more than one dot"],
    ["hypertension", "too long for an ICD-10 code"],
    ["K35 1", "position 4 is not a digit or X"],
    ["\u013110", "does not start with a letter and two digits"],
  ])("%j is invalid: %s", (raw, reason) => {
    expect(parseIcd10(raw)).toEqual({ ok: false, reason });
  });

  it("hands back a stored form as it came", () => {
    const raw = "M011-D";
    const result = parseIcd10(raw);
    expect(result.ok && result.value).toBe(raw);
  });

  it("property: dot placement, case and white space do not change the stored form", () => {
    fc.assert(
      fc.property(
        storedCode.chain((code) => fc.tuple(fc.constant(code), spelling(code))),
        ([code, raw]) => {
          expect(parseIcd10(raw)).toEqual({ ok: true, value: code });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("property: stored forms are idempotent", () => {
    fc.assert(
      fc.property(storedCode, (code) => {
        const parsed = parseIcd10(code);
        expect(parsed).toEqual({ ok: true, value: code });
        if (parsed.ok) expect(parseIcd10(parsed.value)).toEqual(parsed);
      }),
    );
  });

  it("property: more than 6 stored characters, or a leading digit, is rejected", () => {
    fc.assert(
      fc.property(storedCode, fc.stringMatching(/^[0-9A-Z-]{1,4}$/), (code, more) => {
        expect(parseIcd10(code.padEnd(6, "-") + more).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(digit, fc.string(), (d, rest) => {
        expect(parseIcd10(d + rest).ok).toBe(false);
      }),
    );
  });

  it("property: a letter in position 5 is refused, marker or not", () => {
    const stem = fc.tuple(letter, digit, digit, fc.constantFrom(..."0123456789X")).map(join);
    fc.assert(
      fc.property(stem, letter, fc.constantFrom("", "A", "D"), (code, fifth, marker) => {
        expect(parseIcd10(code + fifth + marker)).toEqual({
          ok: false,
          reason: "position 5 is not a digit or -",
        });
      }),
    );
  });

  it("property: the schema's pattern accepts exactly the stored forms the parser gives", () => {
    const chars = fc.constantFrom(..."AKXDZ0159-");
    const pattern = (code: string) => icd10.zod.safeParse(code).success;
    fc.assert(
      fc.property(storedCode, (code) => {
        expect(pattern(code)).toBe(true);
      }),
    );
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 7 }).map(join), (code) => {
        const parsed = parseIcd10(code);
        expect(pattern(code)).toBe(parsed.ok && parsed.value === code);
      }),
      { numRuns: 5000 },
    );
  });

  it("property: agrees with the documented pattern, and fails with a fixed phrase", () => {
    const chars = fc.constantFrom(..."AKXDZ0159-.a ");
    fc.assert(
      fc.property(fc.array(chars, { minLength: 0, maxLength: 8 }).map(join), (raw) => {
        const trimmed = raw.trim();
        const compact = trimmed.toUpperCase().replace(".", "");
        const result = parseIcd10(raw);
        expect(result.ok).toBe(rule.test(compact));
        if (result.ok) expect(result.value).toBe(compact.length === 3 ? `${compact}X` : compact);
        else expect(reasons).toContain(result.reason);
      }),
      { numRuns: 5000 },
    );
  });
});
