// Loads a mapping file and checks it against its target dataset before any record is read:
// unknown target fields, missing mandatory fields, rule shapes that do not fit the field or the
// source format, unreadable lookups and bad date formats are configuration errors naming the
// file and the field, worded as the config file's are (src/config).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { closest, describeZodError, firstPath } from "../config/describe-zod-error.ts";
import { parseJsonFile } from "../config/json-syntax.ts";
import { PhinError } from "../errors.ts";
import { compileDateFormat } from "../formats/dates.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { schemaVersions } from "../schemas/registry.ts";
import {
  $ListRule,
  $MappingV1,
  $ProcedureListRule,
  $ScalarRule,
  type Columns,
  type ListRule,
  type MappingV1,
  type ProcedureListRule,
  type ScalarRule,
  type SourceFormat,
} from "./mapping-schema.ts";

/** Fields the pipeline fills itself; a mapping may not set them. */
export const pipelineFields: Readonly<Record<string, string>> = {
  provider_code: "it comes from the configuration's provider_code",
  age_at_admission: "it is derived from date_of_birth and admission_date",
};

/** One target field's rule, checked; CSV column lists expanded (null for an XML source). */
export type FieldRule = { readonly field: string } & (
  | {
      readonly kind: "scalar";
      readonly rule: ScalarRule;
      readonly dateFormat: string;
      /** The declared format of a local id field (anchored), when the mapping gives one. */
      readonly idFormat: RegExp | undefined;
    }
  | { readonly kind: "list"; readonly rule: ListRule; readonly columns: readonly string[] | null }
  | {
      readonly kind: "procedures";
      readonly rule: ProcedureListRule;
      readonly dateFormat: string;
      readonly codeColumns: readonly string[] | null;
      readonly dateColumns: readonly string[] | null;
    }
);

export interface LoadedMapping {
  /** Display path (as written in the config). */
  readonly file: string;
  readonly dataset: DatasetDef;
  readonly source: SourceFormat;
  readonly rules: readonly FieldRule[];
  /** name -> (local value -> national value) */
  readonly lookups: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly objection: MappingV1["objection"];
}

export function expandColumns(columns: Columns): string[] {
  if (Array.isArray(columns)) return columns;
  const out: string[] = [];
  for (let n = columns.from; n <= columns.to; n++) {
    out.push(
      columns.template.replace("{nn}", String(n).padStart(2, "0")).replace("{n}", String(n)),
    );
  }
  return out;
}

const hint = "see mappings/mapping.schema.json and docs/mappings.md";

function invalid(file: string, message: string, field?: string): PhinError {
  return new PhinError("MAPPING_INVALID", `${file}: ${message}`, {
    stage: "map",
    file,
    ...(field === undefined ? {} : { field }),
    hint,
  });
}

/** What checking one field's rule needs: the file (for errors) and the mapping around it. */
interface Context {
  readonly file: string;
  readonly mapping: MappingV1;
  readonly isXml: boolean;
}

export async function loadMapping(absolute: string, display: string): Promise<LoadedMapping> {
  const mapping = await readMapping(absolute, display);
  const dataset = schemaVersions[mapping.schema_version]?.[mapping.dataset];
  if (dataset === undefined) {
    const message = `schema version ${mapping.schema_version} is not supported`;
    throw invalid(display, message, "schema_version");
  }
  const ctx: Context = { file: display, mapping, isXml: mapping.source.format === "xml" };
  checkDateFormat(ctx, mapping.date_format, "date_format");
  const rules = Object.entries(mapping.fields).map(([field, raw]) =>
    fieldRule(ctx, dataset, field, raw),
  );
  const mapped = new Set(rules.map((r) => r.field));
  for (const [field, def] of Object.entries(dataset.fields)) {
    if (def.status === "M" && !mapped.has(field) && !(field in pipelineFields)) {
      throw invalid(display, `mandatory field "${field}" is not mapped`, field);
    }
  }
  const lookups = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, table] of Object.entries(mapping.lookups)) {
    const file = path.resolve(path.dirname(absolute), table.file);
    lookups.set(name, await loadLookup(file, table, `${display} lookups.${name}`));
  }
  const { source, objection } = mapping;
  return { file: display, dataset, source, rules, lookups, objection };
}

/** The file read, parsed and checked against the mapping format (not yet against a dataset). */
async function readMapping(absolute: string, display: string): Promise<MappingV1> {
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (cause) {
    throw new PhinError("MAPPING_NOT_FOUND", `cannot read mapping file ${display}`, {
      stage: "map",
      file: display,
      cause,
    });
  }
  const json = parseJsonFile(
    text,
    display,
    (message, where) =>
      new PhinError("MAPPING_INVALID", message, { stage: "map", file: display, ...where, hint }),
  );
  const parsed = $MappingV1.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = describeZodError(parsed.error, [], { input: json, schema: $MappingV1 });
  const message = `not a valid mapping:\n  ${problems.join("\n  ")}`;
  throw invalid(display, message, firstPath(parsed.error));
}

function checkDateFormat(ctx: Context, format: string, field: string): string {
  try {
    compileDateFormat(format);
  } catch {
    const message = `date format "${format}" is not supported (use tokens YYYY MM DD M D with separators, or ISO)`;
    throw invalid(ctx.file, message, field);
  }
  return format;
}

/** A repeated field names its values with the source format's own keys. */
function checkLayout(ctx: Context, field: string, each: unknown, xmlKeys: string, csvKeys: string) {
  if (ctx.isXml === (each !== undefined)) return;
  const use = ctx.isXml ? `${xmlKeys} for an XML source` : `${csvKeys} for a CSV or SQL source`;
  throw invalid(ctx.file, `field "${field}": use ${use}`, field);
}

function parseRule<S extends z.ZodType>(
  ctx: Context,
  schema: S,
  field: string,
  raw: unknown,
): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = describeZodError(result.error, ["fields", field], { input: raw, schema });
  throw invalid(ctx.file, `field "${field}":\n  ${problems.join("\n  ")}`, field);
}

/** One target field's rule, checked against the field's type and the source format. */
function fieldRule(ctx: Context, dataset: DatasetDef, field: string, raw: unknown): FieldRule {
  const def = dataset.fields[field];
  if (def === undefined) {
    const known = Object.keys(dataset.fields);
    const guess = closest(field, known);
    const help = guess === undefined ? `fields: ${known.join(", ")}` : `did you mean "${guess}"?`;
    const message = `unknown target field "${field}" for dataset ${dataset.name} (${help})`;
    throw invalid(ctx.file, message, field);
  }
  const reserved = pipelineFields[field];
  if (reserved !== undefined) {
    throw invalid(ctx.file, `field "${field}" cannot be mapped: ${reserved}`, field);
  }
  const type = def.type;
  if (type.kind === "scalar") return scalarRule(ctx, field, raw, type.shown === "local_id");
  if (type.kind === "list") return listRule(ctx, field, raw, type.max);
  return procedureRule(ctx, field, raw);
}

function scalarRule(ctx: Context, field: string, raw: unknown, isId: boolean): FieldRule {
  const rule = parseRule(ctx, $ScalarRule, field, raw);
  const idFormat =
    rule.format === undefined ? undefined : idFormatOf(ctx, field, rule.format, isId);
  if (rule.lookup !== undefined && !(rule.lookup in ctx.mapping.lookups)) {
    const message = `field "${field}" uses lookup "${rule.lookup}", which is not declared in "lookups"`;
    throw invalid(ctx.file, message, field);
  }
  const dateFormat = checkDateFormat(ctx, rule.date_format ?? ctx.mapping.date_format, field);
  return { kind: "scalar", field, rule, dateFormat, idFormat };
}

/** A declared id format, matched against the whole value. */
function idFormatOf(ctx: Context, field: string, format: string, isId: boolean): RegExp {
  if (!isId) {
    const message = `field "${field}" is not a local id field: \`format\` applies only to local ids`;
    throw invalid(ctx.file, message, field);
  }
  try {
    return new RegExp(`^(?:${format})$`, "u");
  } catch {
    throw invalid(
      ctx.file,
      `field "${field}": \`format\` is not a valid regular expression`,
      field,
    );
  }
}

function listRule(ctx: Context, field: string, raw: unknown, max: number): FieldRule {
  const rule = parseRule(ctx, $ListRule, field, raw);
  checkLayout(ctx, field, rule.each, "`each`", "`columns`");
  const columns = rule.columns === undefined ? null : expandColumns(rule.columns);
  if (columns !== null && columns.length > max) {
    const message = `field "${field}" lists ${columns.length} columns; the dataset allows at most ${max}`;
    throw invalid(ctx.file, message, field);
  }
  return { kind: "list", field, rule, columns };
}

function procedureRule(ctx: Context, field: string, raw: unknown): FieldRule {
  const rule = parseRule(ctx, $ProcedureListRule, field, raw);
  checkLayout(ctx, field, rule.each, "`each`, `code` and `date`", "`columns` and `date_columns`");
  const codeColumns = rule.columns === undefined ? null : expandColumns(rule.columns);
  const dateColumns = rule.date_columns === undefined ? null : expandColumns(rule.date_columns);
  if (codeColumns !== null && codeColumns.length !== dateColumns?.length) {
    const message = `field "${field}": columns and date_columns must pair one to one`;
    throw invalid(ctx.file, message, field);
  }
  const dateFormat = checkDateFormat(ctx, rule.date_format ?? ctx.mapping.date_format, field);
  return { kind: "procedures", field, rule, dateFormat, codeColumns, dateColumns };
}

async function loadLookup(
  file: string,
  table: { file: string; key: string; value: string },
  where: string,
): Promise<ReadonlyMap<string, string>> {
  const fail = (message: string, cause?: unknown) =>
    new PhinError("LOOKUP_INVALID", `${where}: ${message}`, {
      stage: "map",
      file: table.file,
      cause,
    });
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(await readFile(file), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (cause) {
    throw fail(`cannot read lookup table ${table.file} as CSV with a header row`, cause);
  }
  const result = new Map<string, string>();
  for (const [index, row] of rows.entries()) {
    const key = row[table.key];
    const value = row[table.value];
    if (key === undefined || value === undefined) {
      throw fail(`lookup table ${table.file} needs columns "${table.key}" and "${table.value}"`);
    }
    if (result.has(key))
      throw fail(`lookup table ${table.file} line ${index + 2}: key appears twice`);
    result.set(key, value);
  }
  return result;
}
