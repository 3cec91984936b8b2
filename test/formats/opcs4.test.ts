import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isYZChapter, parseOpcs4 } from "../../src/formats/opcs4.ts";

const chapter = fc.constantFrom(..."ABCDEFGHJKLMNOPQRSTUVWXYZ");
const digit = fc.constantFrom(..."0123456789");
const join = (parts: string[]) => parts.join("");
const storedCode = fc.tuple(chapter, digit, digit, digit).map(join);
const extension = fc.constantFrom(..."0123456789ABCZ");

/** A code as a source might write it: a dot anywhere, any case, surrounding white space. */
const spelling = (code: string) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: code.length }),
      fc.boolean(),
      fc.array(fc.boolean(), { minLength: code.length, maxLength: code.length }),
      fc.constantFrom("", " ", "\t"),
      fc.constantFrom("", " ", "\n"),
    )
    .map(([at, dot, lower, before, after]) => {
      const cased = [...code].map((c, i) => (lower[i] ? c.toLowerCase() : c)).join("");
      return before + (dot ? `${cased.slice(0, at)}.${cased.slice(at)}` : cased) + after;
    });

const reasons = new Set([
  "too short for an OPCS-4 code",
  "too long for an OPCS-4 code",
  "more than one dot",
  "chapter is not a letter other than I",
  "positions 2 to 4 are not digits",
  "local extension is not a letter or digit",
]);

describe("OPCS-4", () => {
  it.each([
    ["W37.1", "W371", false],
    ["W371", "W371", false],
    ["w37.1", "W371", false],
    [" Y53.2 ", "Y532", false],
    ["W37.12", "W371", true],
    ["W3712", "W371", true],
    ["w371a", "W371", true],
  ])("%j is stored as %j (extension removed: %s)", (raw, code, localExtensionRemoved) => {
    expect(parseOpcs4(raw)).toEqual({ ok: true, value: { code, localExtensionRemoved } });
  });

  it.each([
    ["I12.3", "chapter is not a letter other than I"],
    ["i123", "chapter is not a letter other than I"],
    ["37.1W", "chapter is not a letter other than I"],
    ["WA71", "positions 2 to 4 are not digits"],
    ["W37.X", "positions 2 to 4 are not digits"],
    ["W37", "too short for an OPCS-4 code"],
    ["", "too short for an OPCS-4 code"],
    ["W3712X", "too long for an OPCS-4 code"],
    ["W37.123", "too long for an OPCS-4 code"],
    ["W37.1-", "local extension is not a letter or digit"],
    ["W3.7.1", "more than one dot"],
  ])("%j is invalid: %s", (raw, reason) => {
    expect(parseOpcs4(raw)).toEqual({ ok: false, reason });
  });

  it("knows the Y and Z chapters", () => {
    expect(isYZChapter("Y532")).toBe(true);
    expect(isYZChapter("Z942")).toBe(true);
    expect(isYZChapter("W371")).toBe(false);
    expect(isYZChapter("")).toBe(false);
  });

  it("property: dot placement, case and white space do not change the stored form", () => {
    fc.assert(
      fc.property(
        storedCode.chain((code) => fc.tuple(fc.constant(code), spelling(code))),
        ([code, raw]) => {
          expect(parseOpcs4(raw)).toEqual({
            ok: true,
            value: { code, localExtensionRemoved: false },
          });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("property: a local 5th character is removed and flagged", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(storedCode, extension)
          .chain(([code, ext]) => fc.tuple(fc.constant(code), spelling(code + ext))),
        ([code, raw]) => {
          expect(parseOpcs4(raw)).toEqual({
            ok: true,
            value: { code, localExtensionRemoved: true },
          });
        },
      ),
    );
  });

  it("property: stored forms are idempotent", () => {
    fc.assert(
      fc.property(storedCode, (code) => {
        const parsed = parseOpcs4(code);
        expect(parsed).toEqual({ ok: true, value: { code, localExtensionRemoved: false } });
        if (parsed.ok) expect(parseOpcs4(parsed.value.code)).toEqual(parsed);
      }),
    );
  });

  it("property: chapter I, a leading digit, or 6+ characters is rejected", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{3,4}$/), (digits) => {
        expect(parseOpcs4(`I${digits}`).ok).toBe(false);
        expect(parseOpcs4(`i${digits}`).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(digit, fc.string(), (d, rest) => {
        expect(parseOpcs4(d + rest).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(storedCode, fc.stringMatching(/^[0-9A-Z]{2,4}$/), (code, more) => {
        expect(parseOpcs4(code + more).ok).toBe(false);
      }),
    );
  });

  it("property: agrees with the documented pattern, and fails with a fixed phrase", () => {
    const chars = fc.constantFrom(..."AIWYZ0137-.w ");
    fc.assert(
      fc.property(fc.array(chars, { minLength: 0, maxLength: 7 }).map(join), (raw) => {
        const compact = raw.trim().toUpperCase().replace(".", "");
        const result = parseOpcs4(raw);
        const match = /^([A-HJ-Z][0-9]{3})[0-9A-Z]?$/.exec(compact);
        expect(result.ok).toBe(match !== null);
        if (result.ok) {
          expect(result.value).toEqual({
            code: match?.[1],
            localExtensionRemoved: compact.length === 5,
          });
        } else expect(reasons).toContain(result.reason);
      }),
      { numRuns: 5000 },
    );
  });
});
