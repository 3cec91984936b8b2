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
import { showCount, showValue, type Verdict } from "./mask.ts";

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

/** Reads the raw value of its field and writes the stored one (the copy of `blank` starts null). */
type FieldStep = (raw: MinimisedRecord["fields"], out: ParsedRecord, report: Report) => void;

const defaults = new Set(defaultConsultantCodes);
const secondaryOpcs = opcs4("secondary");
const dateType = dateField();

/** A field's value parser: a failure or warning is reported on the field; null when it failed. */
function valueParser(
  type: ScalarType<string> | ScalarType<number>,
  field: string,
  options: { dateFormat: string; idFormat?: RegExp | undefined },
  codeLists: CodeLists,
): (raw: string, report: Report) => string | number | null {
  const parse = type.compile(options) as (raw: string) => Parsed<string | number>;
  const list = type.codeList === undefined ? undefined : codeLists[type.codeList];
  const shown = type.shown;
  const show = (raw: string, verdict: Verdict) => showValue(shown, raw, verdict);
  return (raw, report) => {
    const result = parse(raw);
    if (!result.ok) {
      report(result.rule, field, show(raw, result.wellFormed ? "well_formed" : "invalid"));
      return null;
    }
    const value = result.value;
    // Membership is checked on the stored form; default consultant codes are never in a GMC list.
    if (
      list !== undefined &&
      typeof value === "string" &&
      !list.has(value) &&
      !defaults.has(value)
    ) {
      report("CODE_LIST_UNKNOWN", field, show(raw, "well_formed"));
      return null;
    }
    if (result.warning !== undefined) report(result.warning, field, show(raw, "member"));
    return value;
  };
}

export function compileRecordParser(
  options: RecordParserOptions,
): (record: MinimisedRecord, report: Report) => ParsedRecord {
  const { dataset, mapping, codeLists } = options;
  const sites = new Set(options.sites);
  const dateFormats = new Map<string, string>();
  const idFormats = new Map<string, RegExp>();
  for (const rule of mapping.rules) {
    if (rule.kind !== "list") dateFormats.set(rule.field, rule.dateFormat);
    if (rule.kind === "scalar" && rule.idFormat !== undefined)
      idFormats.set(rule.field, rule.idFormat);
  }
  const steps: FieldStep[] = [];

  for (const [field, def] of Object.entries(dataset.fields)) {
    const type = def.type;
    // Derived fields ("D") are added by the rules.
    if (def.status === "D") continue;
    const dateFormat = dateFormats.get(field) ?? "ISO";
    if (type.kind === "scalar") {
      const parse = valueParser(
        type,
        field,
        { dateFormat, idFormat: idFormats.get(field) },
        codeLists,
      );
      const mandatory = def.status === "M";
      const isSite = field === "site_code";
      steps.push((raw, out, report) => {
        const value = raw[field];
        if (typeof value !== "string") {
          if (mandatory) report("REQUIRED", field);
          return;
        }
        const stored = parse(value, report);
        if (isSite && stored !== null && !sites.has(stored as string)) {
          report("SITE_UNKNOWN", field, showValue(type.shown, value, "well_formed"));
          return;
        }
        out[field] = stored;
      });
    } else if (type.kind === "list") {
      const parse = valueParser(type.item, field, { dateFormat: "ISO" }, codeLists);
      steps.push((raw, out, report) => {
        const items = (raw[field] ?? []) as string[];
        if (items.length > type.max) report("LIST_TOO_LONG", field, showCount(items.length));
        const stored: string[] = [];
        for (const item of items) {
          const value = parse(item, report);
          if (value !== null) stored.push(value as string);
        }
        out[field] = stored;
      });
    } else {
      if (dataset.name !== "episodes") throw new Error(`procedure list on dataset ${dataset.name}`);
      const parseCode = valueParser(secondaryOpcs, field, { dateFormat: "ISO" }, codeLists);
      const parseDate = valueParser(dateType, field, { dateFormat }, codeLists);
      steps.push((raw, out, report) => {
        const items = (raw[field] ?? []) as RawProcedure[];
        if (items.length > type.max) report("LIST_TOO_LONG", field, showCount(items.length));
        const stored: { code: string; date: string }[] = [];
        for (const item of items) {
          const code = item.code === null ? null : parseCode(item.code, report);
          const date = item.date === null ? null : parseDate(item.date, report);
          // Unpaired entries are reported by EP_PROCEDURE_DATE_PAIR from the raw record.
          if (code !== null && date !== null)
            stored.push({ code: code as string, date: date as string });
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
