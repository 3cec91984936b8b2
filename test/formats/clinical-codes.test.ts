import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConsultantCode } from "../../src/formats/consultant-code.ts";
import { parseIcd10 } from "../../src/formats/icd10.ts";
import { isYZChapter, parseOpcs4 } from "../../src/formats/opcs4.ts";

const letter = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split(""));
const digit = fc.constantFrom(..."0123456789".split(""));

describe("ICD-10", () => {
  it.each([
    ["K35.1", "K351"],
    ["K351", "K351"],
    ["k35.1 ", "K351"],
    ["I10", "I10X"],
    ["I10X", "I10X"],
    ["M16.1", "M161"],
    ["S72.00", "S7200"],
    ["M01.1-D", "M011-D"],
    ["G01X-A", "G01X-A"],
  ])("%j is stored as %j", (raw, value) => {
    expect(parseIcd10(raw)).toEqual({ ok: true, value });
  });
  it.each(["1234", "K3", "K35.12345", "hypertension", "KK35", "K35.1Q9"])(
    "%j is invalid",
    (raw) => {
      expect(parseIcd10(raw).ok).toBe(false);
    },
  );
  it("property: dot, case and whitespace do not change the stored form, which is idempotent", () => {
    fc.assert(
      fc.property(
        letter,
        digit,
        digit,
        fc.option(digit, { nil: undefined }),
        fc.boolean(),
        fc.boolean(),
        (l, d1, d2, d3, dot, lower) => {
          const code = `${l}${d1}${d2}${d3 ?? ""}`;
          const raw = `${dot ? `${code.slice(0, 3)}.${code.slice(3)}` : code} `;
          const parsed = parseIcd10(lower ? raw.toLowerCase() : raw);
          expect(parsed).toEqual({ ok: true, value: code.length === 3 ? `${code}X` : code });
          if (parsed.ok) expect(parseIcd10(parsed.value)).toEqual(parsed);
        },
      ),
    );
  });
  it("property: a code starting with a digit or longer than 6 stored characters is rejected", () => {
    fc.assert(
      fc.property(digit, fc.string(), (d, rest) => {
        expect(parseIcd10(d + rest).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][0-9]{6,9}$/), (code) => {
        expect(parseIcd10(code).ok).toBe(false);
      }),
    );
  });
});

describe("OPCS-4", () => {
  it.each([
    ["W37.1", "W371", false],
    ["w371", "W371", false],
    [" Y53.2 ", "Y532", false],
    ["W37.12", "W371", true],
    ["W3712", "W371", true],
  ])("%j is stored as %j (extension removed: %s)", (raw, code, localExtensionRemoved) => {
    expect(parseOpcs4(raw)).toEqual({ ok: true, value: { code, localExtensionRemoved } });
  });
  it.each(["I12.3", "W37", "W3712X", "WA71", "37.1W"])("%j is invalid", (raw) => {
    expect(parseOpcs4(raw).ok).toBe(false);
  });
  it("knows the Y and Z chapters", () => {
    expect(isYZChapter("Y532")).toBe(true);
    expect(isYZChapter("Z942")).toBe(true);
    expect(isYZChapter("W371")).toBe(false);
  });
  it("property: any chapter but I with three digits is stored without its dot, idempotently", () => {
    fc.assert(
      fc.property(
        letter.filter((l) => l !== "I"),
        digit,
        digit,
        digit,
        (l, a, b, c) => {
          const parsed = parseOpcs4(`${l}${a}${b}.${c}`);
          expect(parsed).toEqual({
            ok: true,
            value: { code: `${l}${a}${b}${c}`, localExtensionRemoved: false },
          });
          if (parsed.ok) expect(parseOpcs4(parsed.value.code)).toEqual(parsed);
        },
      ),
    );
  });
  it("property: chapter I is never valid", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{3}$/), (d) => {
        expect(parseOpcs4(`I${d}`).ok).toBe(false);
      }),
    );
  });
});

describe("consultant code", () => {
  it("normalises a bare GMC number and recognises default codes", () => {
    expect(parseConsultantCode("1234567")).toEqual({
      ok: true,
      value: { code: "C1234567", isDefault: false },
    });
    expect(parseConsultantCode("c1234567")).toEqual({
      ok: true,
      value: { code: "C1234567", isDefault: false },
    });
    expect(parseConsultantCode("C9999998")).toEqual({
      ok: true,
      value: { code: "C9999998", isDefault: true },
    });
    expect(parseConsultantCode("D9999981")).toEqual({
      ok: true,
      value: { code: "D9999981", isDefault: true },
    });
  });
  it.each(["C123456", "X1234567", "DRSMITH", "C12345678"])("%j is invalid", (raw) => {
    expect(parseConsultantCode(raw).ok).toBe(false);
  });
});
