import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultConsultantCodes, parseConsultantCode } from "../../src/formats/consultant-code.ts";

describe("consultant code", () => {
  it.each([
    ["C1234567", "C1234567", false],
    ["c1234567", "C1234567", false],
    [" 1234567 ", "C1234567", false],
    ["C0000001", "C0000001", false],
    ["C9999998", "C9999998", true],
    ["9999998", "C9999998", true],
    ["cd999998", "CD999998", true],
    ["D9999981", "D9999981", true],
    [" n9999998", "N9999998", true],
  ])("%j is %j (default: %s)", (raw, code, isDefault) => {
    expect(parseConsultantCode(raw)).toEqual({ ok: true, value: { code, isDefault } });
  });

  it("recognises each default code", () => {
    expect(defaultConsultantCodes).toEqual([
      "C9999998",
      "CD999998",
      "D9999998",
      "D9999981",
      "H9999998",
      "M9999998",
      "N9999998",
    ]);
    for (const code of defaultConsultantCodes) {
      expect(parseConsultantCode(code)).toEqual({ ok: true, value: { code, isDefault: true } });
    }
  });

  it.each([
    "C123456",
    "C12345678",
    "123456",
    "12345678",
    "X1234567",
    "D1234567",
    "CD123456",
    "DRSMITH",
    "C 1234567",
    "C123456A",
    "",
  ])("%j is invalid", (raw) => {
    expect(parseConsultantCode(raw)).toEqual({
      ok: false,
      reason: "not a GMC number or default consultant code",
    });
  });

  it("property: any 7 digits, bare or with C, give C + the digits", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{7}$/),
        fc.constantFrom("", "C", "c"),
        (digits, prefix) => {
          const code = `C${digits}`;
          expect(parseConsultantCode(prefix + digits)).toEqual({
            ok: true,
            value: { code, isDefault: code === "C9999998" },
          });
        },
      ),
    );
  });
});
