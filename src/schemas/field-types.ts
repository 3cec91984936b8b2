// The building blocks a dataset schema is declared with: a field type knows how to parse one raw
// source string into its stored form (or which rule it breaks), the zod type of the stored form,
// and how a failing value may be shown to analysts. Parsers are compiled once per mapping.
import { z } from "zod";
import { parseConsultantCode } from "../formats/consultant-code.ts";
import { compileDateFormat } from "../formats/dates.ts";
import { parseIcd10 } from "../formats/icd10.ts";
import { parseNhsNumber } from "../formats/nhs-number.ts";
import { isYZChapter, parseOpcs4 } from "../formats/opcs4.ts";
import { parsePostcode } from "../formats/postcode.ts";
import type { FormatResult } from "../formats/result.ts";
import type { RuleId } from "./names.ts";

/** M mandatory, R required when known, O optional, D derived by the pipeline. */
export type Status = "M" | "R" | "O" | "D";

/**
 * What kind of value a field holds, which decides how a value may appear in reports
 * (src/validate/mask.ts, docs/data-protection.md): `code` a closed code set or code list, shown
 * only when a member; `format` a closed national format that cannot hold a name (ICD-10, OPCS-4,
 * GMC, ODS), shown when well-formed; `local_id` a record id in the mapping's declared format;
 * `number`, `date`; identifiers `date_of_birth` (year only), `nhs_number` (last 4 digits),
 * `postcode` (outward code); `hidden` never shown. Anything not proven is shown as its shape.
 */
export type Shown =
  | "code"
  | "format"
  | "local_id"
  | "number"
  | "date"
  | "date_of_birth"
  | "nhs_number"
  | "postcode"
  | "hidden";

/** Reference lists a provider can load to check membership (docs/datasets.md, Formats). */
export type CodeListName = "icd10" | "opcs4" | "gmc" | "ods" | "insurer";

export type Parsed<T> =
  | { readonly ok: true; readonly value: T; readonly warning?: RuleId }
  /** `wellFormed`: the value has the field's format but breaks another rule (a Y code as primary). */
  | { readonly ok: false; readonly rule: RuleId; readonly wellFormed?: true };

export interface ParseOptions {
  /** Date format of the source (see formats/dates.ts), e.g. `DD/MM/YYYY` or `ISO`. */
  readonly dateFormat: string;
  /** A local id field's format as the mapping declares it (default: see `localId`). */
  readonly idFormat?: RegExp | undefined;
}

export interface ScalarType<T> {
  readonly kind: "scalar";
  /** Human description for docs and JSON Schema. */
  readonly description: string;
  readonly zod: z.ZodType<T>;
  readonly shown: Shown;
  readonly codeList?: CodeListName;
  /** Stored as a number (written as its decimal text). */
  readonly numeric?: boolean;
  /** Compile the parser once; it receives a trimmed, non-empty string. */
  compile(options: ParseOptions): (raw: string) => Parsed<T>;
  /** Stored form as it is written to a submission file. */
  format(value: T): string;
}

/** Repeated codes (secondary diagnoses). */
export interface ListType<T> {
  readonly kind: "list";
  readonly item: ScalarType<T>;
  readonly max: number;
  /** Column name in flat files for item n (1-based), e.g. `secondary_diagnosis_01`. */
  readonly column: (n: number) => string;
}

/** Repeated procedures with their dates (secondary procedures). */
export interface ProcedureListType {
  readonly kind: "procedures";
  readonly max: number;
  readonly codeColumn: (n: number) => string;
  readonly dateColumn: (n: number) => string;
}

export type FieldType =
  | ScalarType<string>
  | ScalarType<number>
  | ListType<string>
  | ProcedureListType;

export interface FieldDef<T extends FieldType = FieldType> {
  readonly status: Status;
  readonly type: T;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (rule: RuleId): Parsed<never> => ({ ok: false, rule });
const asIs = (value: string) => value;

/** A value checked against a regular expression after trimming (and upper-casing, for codes). */
export function pattern(
  re: RegExp,
  description: string,
  options: { upper?: boolean; shown?: Shown; codeList?: CodeListName } = {},
): ScalarType<string> {
  const upper = options.upper ?? false;
  return {
    kind: "scalar",
    description,
    zod: z.string().regex(re),
    shown: options.shown ?? "format",
    ...(options.codeList === undefined ? {} : { codeList: options.codeList }),
    compile: () => (raw) => {
      const value = upper ? raw.toUpperCase() : raw;
      return re.test(value) ? ok(value) : fail("FORMAT");
    },
    format: asIs,
  };
}

/** A value from a fixed code set. Matching is exact after trimming and upper-casing. */
export function codeSet(values: readonly string[], description: string): ScalarType<string> {
  // The set's own string is stored, so the records held in memory share one copy of each code.
  const codes = new Map(values.map((code) => [code, code]));
  return {
    kind: "scalar",
    description: `${description}: ${values.join(" ")}`,
    zod: z.enum(values as [string, ...string[]]),
    shown: "code",
    compile: () => (raw) => {
      const code = codes.get(raw.toUpperCase());
      return code === undefined ? fail("CODE_SET") : ok(code);
    },
    format: asIs,
  };
}

/** A calendar date, stored as `YYYY-MM-DD` (ISO strings order correctly as strings). */
export function date(shown: "date" | "date_of_birth" = "date"): ScalarType<string> {
  return {
    kind: "scalar",
    description: "date, YYYY-MM-DD",
    zod: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    shown,
    compile: ({ dateFormat }) => {
      const parse = checkedBy(compileDateFormat(dateFormat), "DATE_INVALID");
      // Dates repeat heavily (a month of admissions, a century of births): each valid source
      // text is parsed once, and its result (one string per day) is shared by every record.
      const known = new Map<string, Parsed<string>>();
      return (raw) => {
        let result = known.get(raw);
        if (result === undefined) {
          result = parse(raw);
          if (result.ok) known.set(raw, result);
        }
        return result;
      };
    },
    format: asIs,
  };
}

/** A parser from formats/ with its reason replaced by the rule the field breaks. */
function checkedBy(parse: (raw: string) => FormatResult, rule: RuleId) {
  return (raw: string): Parsed<string> => {
    const result = parse(raw);
    return result.ok ? ok(result.value) : fail(rule);
  };
}

export const nhsNumber: ScalarType<string> = {
  kind: "scalar",
  description: "NHS number, 10 digits, modulus 11",
  zod: z.string().regex(/^\d{10}$/),
  shown: "nhs_number",
  compile: () => checkedBy(parseNhsNumber, "NHS_NUMBER_INVALID"),
  format: asIs,
};

export const postcode: ScalarType<string> = {
  kind: "scalar",
  description: "UK postcode, normalised (outward, one space, inward)",
  zod: z.string().regex(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/),
  shown: "postcode",
  compile: () => checkedBy(parsePostcode, "POSTCODE_INVALID"),
  format: asIs,
};

export const icd10: ScalarType<string> = {
  kind: "scalar",
  description: "ICD-10 code, stored without the dot, 4-6 characters",
  zod: z.string().regex(/^[A-Z][0-9]{2}[0-9X]([0-9-][AD]?)?$/),
  shown: "format",
  codeList: "icd10",
  compile: () => checkedBy(parseIcd10, "ICD10_INVALID"),
  format: asIs,
};

export function opcs4(role: "primary" | "secondary"): ScalarType<string> {
  return {
    kind: "scalar",
    description:
      role === "primary"
        ? "OPCS-4 code, 4 characters without the dot, not a Y or Z chapter code"
        : "OPCS-4 code, 4 characters without the dot",
    zod: z.string().regex(role === "primary" ? /^[A-HJ-X][0-9]{3}$/ : /^[A-HJ-Z][0-9]{3}$/),
    shown: "format",
    codeList: "opcs4",
    compile: () => (raw) => {
      const result = parseOpcs4(raw);
      if (!result.ok) return fail("OPCS4_INVALID");
      const { code, localExtensionRemoved } = result.value;
      if (role === "primary" && isYZChapter(code))
        return { ok: false, rule: "OPCS4_PRIMARY_YZ", wellFormed: true };
      return localExtensionRemoved
        ? { ok: true, value: code, warning: "OPCS4_LOCAL_EXTENSION" }
        : ok(code);
    },
    format: asIs,
  };
}

export const consultantCode: ScalarType<string> = {
  kind: "scalar",
  description: "consultant code: C + 7-digit GMC number, or a default code",
  zod: z.string().regex(/^(C[0-9]{7}|CD999998|D9999998|D9999981|H9999998|M9999998|N9999998)$/),
  shown: "format",
  codeList: "gmc",
  compile: () => (raw) => {
    const result = parseConsultantCode(raw);
    return result.ok ? ok(result.value.code) : fail("CONSULTANT_CODE_INVALID");
  },
  format: asIs,
};

/**
 * Holds a letter and no digit, or letters and white space: a name or a word, never a record id.
 * Checked whatever format the mapping declares, with its own rule (ID_LOOKS_LIKE_WORD).
 */
export function looksLikeWord(raw: string): boolean {
  return /\p{L}/u.test(raw) && (!/\p{Nd}/u.test(raw) || /\s/u.test(raw));
}

const idCharacters = /^[A-Za-z0-9_-]{1,40}$/;
/** Without a declared format: at most 20 characters, no spaces, at least one digit. */
export const defaultIdFormat = /^(?=.*[0-9])[A-Za-z0-9_-]{1,20}$/;

/** A local record id (spell, episode, response, event): the mapping may declare its format. */
export const localId: ScalarType<string> = {
  kind: "scalar",
  description:
    "local identifier of A-Z a-z 0-9 _ -, in the format the mapping declares (default: at most 20 characters, holding a digit)",
  zod: z.string().regex(idCharacters),
  shown: "local_id",
  compile: ({ idFormat }) => {
    const format = idFormat ?? defaultIdFormat;
    return (raw) => {
      if (looksLikeWord(raw)) return fail("ID_LOOKS_LIKE_WORD");
      return idCharacters.test(raw) && format.test(raw) ? ok(raw) : fail("FORMAT");
    };
  },
  format: asIs,
};

const pseudonymRe = /^[0-9a-f]{64}$/;

/** Written by the minimise stage, never read from a source as such. */
export const pseudonym: ScalarType<string> = {
  kind: "scalar",
  description: "HMAC-SHA256 pseudonym of the local patient id, 64 lowercase hex",
  zod: z.string().regex(pseudonymRe),
  shown: "hidden",
  compile: () => (raw) => (pseudonymRe.test(raw) ? ok(raw) : fail("FORMAT")),
  format: asIs,
};

const decimalRe = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A plain decimal number; ranges that depend on other fields are record rules. */
export function decimal(description: string, integer = false): ScalarType<number> {
  return {
    kind: "scalar",
    description,
    zod: integer ? z.number().int() : z.number(),
    shown: "number",
    numeric: true,
    compile: () => (raw) => {
      if (!decimalRe.test(raw)) return fail("NUMBER_INVALID");
      const value = Number(raw);
      return integer && !Number.isInteger(value) ? fail("NUMBER_INVALID") : ok(value);
    },
    format: (value) => String(value),
  };
}

/** Derived integer (age): never parsed from a source. */
export function derivedInteger(description: string, min: number, max: number): ScalarType<number> {
  return {
    kind: "scalar",
    description,
    zod: z.number().int().min(min).max(max),
    shown: "number",
    numeric: true,
    compile: () => () => fail("FORMAT"),
    format: (value) => String(value),
  };
}

const two = (n: number) => String(n).padStart(2, "0");

export function list(item: ScalarType<string>, max: number, singular: string): ListType<string> {
  return { kind: "list", item, max, column: (n) => `${singular}_${two(n)}` };
}

export function procedures(max: number, singular: string): ProcedureListType {
  return {
    kind: "procedures",
    max,
    codeColumn: (n) => `${singular}_${two(n)}`,
    dateColumn: (n) => `${singular}_date_${two(n)}`,
  };
}
