// Turns a minimised record's raw strings into the dataset's stored form, field by field, and
// reports every field that is blank when mandatory or breaks its type. Compiled once per
// (dataset, mapping): the per-record work is a loop over prepared closures.
import { defaultConsultantCodes } from "../formats/consultant-code.ts";
import type { RawProcedure } from "../map/compile-mapper.ts";
import type { LoadedMapping } from "../map/load-mapping.ts";
import type { MinimisedRecord } from "../minimise/minimise.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { date as dateField, opcs4, type Parsed, type ScalarType } from "../schemas/field-types.ts";
import type { CodeLists } from "./code-lists.ts";
import type { Report } from "./issue.ts";
import { maskValue } from "./mask.ts";

export type StoredValue = string | number | null | string[] | { code: string; date: string }[];
/** Stored-form record; a field that failed to parse is null and skipped by record rules. */
export type ParsedRecord = Record<string, StoredValue>;

export interface RecordParserOptions {
  readonly dataset: DatasetDef;
  readonly mapping: LoadedMapping;
  readonly codeLists: CodeLists;
  /** Sites the provider submits for; a well-formed site code outside them is SITE_UNKNOWN. */
  readonly sites: readonly string[];
}

/** Reads the raw value of its field and writes the stored one. */
type FieldStep = (raw: MinimisedRecord["fields"], out: ParsedRecord, report: Report) => void;

const defaults = new Set(defaultConsultantCodes);
const secondaryOpcs = opcs4("secondary");
const dateType = dateField();

function scalarParser(
  type: ScalarType<string> | ScalarType<number>,
  dateFormat: string,
  codeLists: CodeLists,
): (raw: string) => Parsed<string | number> {
  const parse = type.compile({ dateFormat }) as (raw: string) => Parsed<string | number>;
  const list = type.codeList === undefined ? undefined : codeLists[type.codeList];
  if (list === undefined) return parse;
  // Membership is checked on the stored form; default consultant codes are never in a GMC list.
  return (raw) => {
    const result = parse(raw);
    if (
      result.ok &&
      typeof result.value === "string" &&
      !list.has(result.value) &&
      !defaults.has(result.value)
    ) {
      return { ok: false, rule: "CODE_LIST_UNKNOWN" };
    }
    return result;
  };
}

export function compileRecordParser(
  options: RecordParserOptions,
): (record: MinimisedRecord, report: Report) => ParsedRecord {
  const { dataset, mapping, codeLists } = options;
  const sites = new Set(options.sites);
  const dateFormats = new Map<string, string>();
  for (const rule of mapping.rules)
    if (rule.kind !== "list") dateFormats.set(rule.field, rule.dateFormat);
  const steps: FieldStep[] = [];

  for (const [field, def] of Object.entries(dataset.fields)) {
    const type = def.type;
    // Derived fields ("D") are added by the rules.
    if (def.status === "D") continue;
    if (type.kind === "scalar") {
      const parse = scalarParser(type, dateFormats.get(field) ?? "ISO", codeLists);
      const mandatory = def.status === "M";
      const shown = type.shown;
      const isSite = field === "site_code";
      steps.push((raw, out, report) => {
        const value = raw[field];
        if (typeof value !== "string") {
          if (mandatory) report("REQUIRED", field);
          out[field] = null;
          return;
        }
        const result = parse(value);
        if (!result.ok) {
          report(result.rule, field, maskValue(shown, value));
          out[field] = null;
          return;
        }
        if (result.warning !== undefined) report(result.warning, field, maskValue(shown, value));
        if (isSite && !sites.has(result.value as string)) {
          report("SITE_UNKNOWN", field, maskValue(shown, value));
          out[field] = null;
          return;
        }
        out[field] = result.value;
      });
    } else if (type.kind === "list") {
      const parse = scalarParser(type.item, "ISO", codeLists);
      const shown = type.item.shown;
      steps.push((raw, out, report) => {
        const items = (raw[field] ?? []) as string[];
        if (items.length > type.max) report("LIST_TOO_LONG", field, String(items.length));
        const stored: string[] = [];
        for (const item of items) {
          const result = parse(item);
          if (result.ok) stored.push(result.value as string);
          else report(result.rule, field, maskValue(shown, item));
        }
        out[field] = stored;
      });
    } else {
      const codeType = dataset.name === "episodes" ? secondaryOpcs : undefined;
      if (codeType === undefined) throw new Error(`procedure list on dataset ${dataset.name}`);
      const parseCode = scalarParser(codeType, "ISO", codeLists);
      const parseDate = scalarParser(dateType, dateFormats.get(field) ?? "ISO", codeLists);
      steps.push((raw, out, report) => {
        const items = (raw[field] ?? []) as RawProcedure[];
        if (items.length > type.max) report("LIST_TOO_LONG", field, String(items.length));
        const stored: { code: string; date: string }[] = [];
        for (const item of items) {
          let code: string | null = null;
          let date: string | null = null;
          if (item.code !== null) {
            const result = parseCode(item.code);
            if (result.ok) {
              code = result.value as string;
              if (result.warning !== undefined)
                report(result.warning, field, maskValue("code", item.code));
            } else report(result.rule, field, maskValue("code", item.code));
          }
          if (item.date !== null) {
            const result = parseDate(item.date);
            if (result.ok) date = result.value as string;
            else report(result.rule, field, maskValue("code", item.date));
          }
          // Unpaired entries are reported by EP_PROCEDURE_DATE_PAIR from the raw record.
          if (code !== null && date !== null) stored.push({ code, date });
        }
        out[field] = stored;
      });
    }
  }
  // A copy of one object holding every field (see compile-mapper.ts); derived ones stay null
  // until the rules set them.
  const blank: ParsedRecord = Object.fromEntries(Object.keys(dataset.fields).map((f) => [f, null]));
  return (record, report) => {
    const out: ParsedRecord = { ...blank };
    for (const step of steps) step(record.fields, out, report);
    return out;
  };
}
