// OPCS-4.10 procedure codes: stored as 4 characters without the dot, a chapter letter (never I)
// and three digits. A local 5th character is dropped and flagged, so the caller can warn.
import { type CodeShape, readCode } from "./clinical-code.ts";
import { type FormatResult, okResult } from "./result.ts";

const digits = "positions 2 to 4 are not digits";
const shape: CodeShape = {
  pattern: /^[A-HJ-Z][0-9]{3}[0-9A-Z]?$/,
  positions: [
    [/[A-HJ-Z]/, "chapter is not a letter other than I"],
    [/[0-9]/, digits],
    [/[0-9]/, digits],
    [/[0-9]/, digits],
    [/[0-9A-Z]/, "local extension is not a letter or digit"],
  ],
  tooShort: "too short for an OPCS-4 code",
  tooLong: "too long for an OPCS-4 code",
};

/** The dot is accepted wherever it sits (W37.1, W37.12), as for ICD-10; at most one. */
export function parseOpcs4(
  raw: string,
): FormatResult<{ code: string; localExtensionRemoved: boolean }> {
  const result = readCode(raw, shape);
  if (!result.ok) return result;
  const code = result.value;
  return okResult({ code: code.slice(0, 4), localExtensionRemoved: code.length === 5 });
}

/** Y and Z codes qualify another procedure (approach, laterality); never the primary one. */
export function isYZChapter(code: string): boolean {
  return code.startsWith("Y") || code.startsWith("Z");
}
