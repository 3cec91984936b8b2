// The building blocks a dataset schema is declared with: a field type knows how to parse one raw
// source string into its stored form (or which rule it breaks), the zod type of the stored form,
// and how a failing value may be shown to analysts. Parsers are compiled once per mapping.
import { z } from "zod";
import { parseConsultantCode } from "../formats/consultant-code.ts";
import { compileDayParser, isDay, isoDateResult } from "../formats/dates.ts";
import { parseIcd10 } from "../formats/icd10.ts";
import { parseNhsNumber } from "../formats/nhs-number.ts";
import { parseOpcs4 } from "../formats/opcs4.ts";
import { parsePostcode } from "../formats/postcode.ts";
import type { RuleId } from "./names.ts";

/** M mandatory, R required when known, O optional, D derived by the pipeline. */
export type Status = "M" | "R" | "O" | "D";

/**
 * How a raw value that failed may appear in report.json / issues.csv (docs/data-protection.md):
 * `code` as received (short codes only), `nhs_number` last 4 digits, `postcode` outward code,
 * `year` the year only, `hidden` never.
 */
export type Shown = "code" | "nhs_number" | "postcode" | "year" | "hidden";

/** Reference lists a provider can load to check membership (docs/datasets.md, Formats). */
export type CodeListName = "icd10" | "opcs4" | "gmc" | "ods";

export type Parsed<T> =
  | { readonly ok: true; readonly value: T; readonly warning?: RuleId }
  | { readonly ok: false; readonly rule: RuleId };

export interface ParseOptions {
  /** Date format of the source (see formats/dates.ts), e.g. `DD/MM/YYYY` or `ISO`. */
  readonly dateFormat: string;
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
  /**
   * Every value it stores is, once formatted, free of the characters a CSV cell would need
   * quoted or XML text escaped (notPlain): by construction (dates, numbers, codes rebuilt from
   * checked characters) or checked when the type is made (code sets). The bundle writers skip
   * their check of each value for these; a test fuzzes every such type's parser.
   */
  readonly plain?: boolean;
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

/** A character a CSV cell would need quoted (`",\r\n`) or XML text escaped (`&<>`). */
export const notPlain = /[",\r\n&<>]/;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
// Results are only read, so a failure is one shared object per rule, not one per value.
const failures = new Map<RuleId, Parsed<never>>();
const fail = (rule: RuleId): Parsed<never> => {
  let result = failures.get(rule);
  if (result === undefined) {
    result = Object.freeze({ ok: false, rule });
    failures.set(rule, result);
  }
  return result;
};
/** A stored string written as it is (also the writers' no-op for plain values). */
export const asIs = (value: string) => value;

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
    shown: options.shown ?? "code",
    ...(options.codeList === undefined ? {} : { codeList: options.codeList }),
    compile: () => (raw) => {
      const value = upper ? raw.toUpperCase() : raw;
      return re.test(value) ? ok(value) : fail("FORMAT");
    },
    format: asIs,
  };
}

/**
 * A one- or two-character ASCII value as a number, letters upper-cased; -1 for anything else.
 * Most codes are one or two characters, and a number keys a Map without the upper-cased copy
 * and the string hash (~3 % of a run for the dozen code-set fields of an episode).
 */
function shortCodeKey(raw: string): number {
  const n = raw.length;
  if (n === 0 || n > 2) return -1;
  let key = n;
  for (let i = 0; i < n; i++) {
    let c = raw.charCodeAt(i);
    // Outside ASCII, toUpperCase has its own cases ("ı" becomes "I"): left to the general path.
    if (c > 127) return -1;
    if (c >= 97 && c <= 122) c -= 32;
    key = (key << 8) | c;
  }
  return key;
}

/** A value from a fixed code set. Matching is exact after trimming and upper-casing. */
export function codeSet(values: readonly string[], description: string): ScalarType<string> {
  // One shared result per code: the set is small, and every record holds several such fields.
  const results = new Map(values.map((v) => [v, Object.freeze(ok(v))]));
  const short = new Map<number, Parsed<string>>();
  for (const [code, result] of results) {
    const key = shortCodeKey(code);
    if (key !== -1 && code === code.toUpperCase()) short.set(key, result);
  }
  return {
    kind: "scalar",
    description: `${description}: ${values.join(" ")}`,
    zod: z.enum(values as [string, ...string[]]),
    shown: "code",
    plain: values.every((v) => !notPlain.test(v)),
    compile: () => (raw) => {
      const key = shortCodeKey(raw);
      if (key !== -1) return short.get(key) ?? fail("CODE_SET");
      return results.get(raw.toUpperCase()) ?? fail("CODE_SET");
    },
    format: asIs,
  };
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date, stored as `YYYY-MM-DD` (ISO strings order correctly as strings). */
export function date(shown: Shown = "code"): ScalarType<string> {
  return {
    kind: "scalar",
    description: "date, YYYY-MM-DD",
    zod: z.string().regex(isoDate),
    shown,
    plain: true,
    compile: ({ dateFormat }) => {
      const parse = compileDayParser(dateFormat);
      // The day's one shared result (its ISO text): nothing allocated per date.
      return (raw) => {
        const day = parse(raw);
        return isDay(day) ? isoDateResult(day) : fail("DATE_INVALID");
      };
    },
    format: asIs,
  };
}

export const nhsNumber: ScalarType<string> = {
  kind: "scalar",
  description: "NHS number, 10 digits, modulus 11",
  zod: z.string().regex(/^\d{10}$/),
  shown: "nhs_number",
  plain: true,
  compile: () => (raw) => {
    const result = parseNhsNumber(raw);
    return result.ok ? ok(result.value) : fail("NHS_NUMBER_INVALID");
  },
  format: asIs,
};

export const postcode: ScalarType<string> = {
  kind: "scalar",
  description: "UK postcode, normalised (outward, one space, inward)",
  zod: z.string().regex(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/),
  shown: "postcode",
  plain: true,
  compile: () => (raw) => {
    const result = parsePostcode(raw);
    return result.ok ? ok(result.value) : fail("POSTCODE_INVALID");
  },
  format: asIs,
};

export const icd10: ScalarType<string> = {
  kind: "scalar",
  description: "ICD-10 code, stored without the dot, 4-6 characters",
  zod: z.string().regex(/^[A-Z][0-9]{2}[0-9X]([0-9-][AD]?)?$/),
  shown: "code",
  plain: true,
  codeList: "icd10",
  compile: () => (raw) => {
    const result = parseIcd10(raw);
    return result.ok ? ok(result.value) : fail("ICD10_INVALID");
  },
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
    shown: "code",
    plain: true,
    codeList: "opcs4",
    compile: () => (raw) => {
      const result = parseOpcs4(raw);
      if (!result.ok) return fail("OPCS4_INVALID");
      const { code, localExtensionRemoved } = result.value;
      if (role === "primary" && (code[0] === "Y" || code[0] === "Z"))
        return fail("OPCS4_PRIMARY_YZ");
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
  shown: "code",
  plain: true,
  codeList: "gmc",
  compile: () => (raw) => {
    const result = parseConsultantCode(raw);
    return result.ok ? ok(result.value.code) : fail("CONSULTANT_CODE_INVALID");
  },
  format: asIs,
};

const pseudonymRe = /^[0-9a-f]{64}$/;
/** 1 for every UTF-16 code unit but 0-9 and a-f. */
const notHex = new Uint8Array(0x10000).fill(1);
for (const c of "0123456789abcdef") notHex[c.charCodeAt(0)] = 0;
/**
 * pseudonymRe by hand: checked on every record, where the regular expression cost ~0.3 us. A
 * table lookup per character rather than two range tests: in random hex those branches are
 * mispredicted about half the time (64 characters: ~250 against ~450 ns here).
 */
function isPseudonym(raw: string): boolean {
  if (raw.length !== 64) return false;
  let bad = 0;
  for (let i = 0; i < 64; i++) bad |= notHex[raw.charCodeAt(i)] as number;
  return bad === 0;
}

/** Written by the minimise stage, never read from a source as such. */
export const pseudonym: ScalarType<string> = {
  kind: "scalar",
  description: "HMAC-SHA256 pseudonym of the local patient id, 64 lowercase hex",
  zod: z.string().regex(pseudonymRe),
  shown: "hidden",
  plain: true,
  compile: () => (raw) => (isPseudonym(raw) ? ok(raw) : fail("FORMAT")),
  format: asIs,
};

const decimalRe = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A plain decimal number; ranges that depend on other fields are record rules. */
export function decimal(description: string, integer = false): ScalarType<number> {
  return {
    kind: "scalar",
    description,
    zod: integer ? z.number().int() : z.number(),
    shown: "code",
    numeric: true,
    plain: true,
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
    shown: "code",
    numeric: true,
    plain: true,
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
