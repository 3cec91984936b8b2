// Loads a mapping file and checks it against its target dataset before any record is read:
// unknown target fields, missing mandatory fields, rule shapes that do not fit the field or the
// source format, unreadable lookups and bad date formats are configuration errors naming the
// file and the field.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import type { z } from "zod";
import { describeZodError } from "../config/describe-zod-error.ts";
import { PhinError } from "../errors.ts";
import { compileDateFormat } from "../formats/dates.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { FieldDef } from "../schemas/field-types.ts";
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

export type FieldRule =
  | {
      readonly kind: "scalar";
      readonly field: string;
      readonly rule: ScalarRule;
      readonly dateFormat: string;
    }
  | {
      readonly kind: "list";
      readonly field: string;
      readonly rule: ListRule;
      readonly columns: readonly string[] | null;
    }
  | {
      readonly kind: "procedures";
      readonly field: string;
      readonly rule: ProcedureListRule;
      readonly dateFormat: string;
      readonly codeColumns: readonly string[] | null;
      readonly dateColumns: readonly string[] | null;
    };

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

export async function loadMapping(absolute: string, display: string): Promise<LoadedMapping> {
  const fail = (message: string, field?: string, cause?: unknown): never => {
    throw new PhinError("MAPPING_INVALID", `${display}: ${message}`, {
      stage: "map",
      file: display,
      ...(field === undefined ? {} : { field }),
      ...(cause === undefined ? {} : { cause }),
      hint: "see mappings/mapping.schema.json and docs/mappings.md",
    });
  };
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return fail("not valid JSON", undefined, cause);
  }
  const parsed = $MappingV1.safeParse(json);
  if (!parsed.success) {
    return fail(
      `not a valid mapping:\n  ${describeZodError(parsed.error).join("\n  ")}`,
      pathOf(parsed.error),
    );
  }
  const mapping = parsed.data;
  const dataset = schemaVersions[mapping.schema_version]?.[mapping.dataset];
  if (dataset === undefined)
    return fail(`schema version ${mapping.schema_version} is not supported`, "schema_version");
  const isXml = mapping.source.format === "xml";

  const checkDateFormat = (format: string, field: string) => {
    try {
      compileDateFormat(format);
    } catch {
      fail(
        `date format "${format}" is not supported (use tokens YYYY MM DD M D with separators, or ISO)`,
        field,
      );
    }
  };
  checkDateFormat(mapping.date_format, "date_format");

  const known = Object.keys(dataset.fields);
  const rules: FieldRule[] = [];
  for (const [field, rawRule] of Object.entries(mapping.fields)) {
    const def: FieldDef | undefined = dataset.fields[field];
    if (def === undefined) {
      fail(
        `unknown target field "${field}" for dataset ${dataset.name} (fields: ${known.join(", ")})`,
        field,
      );
      continue;
    }
    const reserved = pipelineFields[field];
    if (reserved !== undefined) fail(`field "${field}" cannot be mapped: ${reserved}`, field);
    const parseRule = <S extends z.ZodType>(schema: S): z.infer<S> => {
      const result = schema.safeParse(rawRule);
      if (!result.success) {
        return fail(
          `field "${field}":\n  ${describeZodError(result.error, ["fields", field]).join("\n  ")}`,
          field,
        );
      }
      return result.data;
    };
    const type = def.type;
    if (type.kind === "scalar") {
      const rule = parseRule($ScalarRule);
      if (rule.lookup !== undefined && !(rule.lookup in mapping.lookups)) {
        fail(
          `field "${field}" uses lookup "${rule.lookup}", which is not declared in "lookups"`,
          field,
        );
      }
      if (rule.date_format !== undefined) checkDateFormat(rule.date_format, field);
      rules.push({
        kind: "scalar",
        field,
        rule,
        dateFormat: rule.date_format ?? mapping.date_format,
      });
    } else if (type.kind === "list") {
      const rule = parseRule($ListRule);
      if (isXml !== (rule.each !== undefined)) {
        fail(
          `field "${field}": use ${isXml ? "`each` for an XML source" : "`columns` for a CSV source"}`,
          field,
        );
      }
      const columns = rule.columns === undefined ? null : expandColumns(rule.columns);
      if (columns !== null && columns.length > type.max) {
        fail(
          `field "${field}" lists ${columns.length} columns; the dataset allows at most ${type.max}`,
          field,
        );
      }
      rules.push({ kind: "list", field, rule, columns });
    } else {
      const rule = parseRule($ProcedureListRule);
      if (isXml !== (rule.each !== undefined)) {
        fail(
          `field "${field}": use ${isXml ? "`each`, `code` and `date` for an XML source" : "`columns` and `date_columns` for a CSV source"}`,
          field,
        );
      }
      const codeColumns = rule.columns === undefined ? null : expandColumns(rule.columns);
      const dateColumns = rule.date_columns === undefined ? null : expandColumns(rule.date_columns);
      if (codeColumns !== null && codeColumns.length !== dateColumns?.length) {
        fail(`field "${field}": columns and date_columns must pair one to one`, field);
      }
      if (rule.date_format !== undefined) checkDateFormat(rule.date_format, field);
      rules.push({
        kind: "procedures",
        field,
        rule,
        dateFormat: rule.date_format ?? mapping.date_format,
        codeColumns,
        dateColumns,
      });
    }
  }
  const mapped = new Set(rules.map((r) => r.field));
  for (const [field, def] of Object.entries(dataset.fields)) {
    if (def.status === "M" && !mapped.has(field) && !(field in pipelineFields)) {
      fail(`mandatory field "${field}" is not mapped`, field);
    }
  }

  const lookups = new Map<string, ReadonlyMap<string, string>>();
  for (const [name, table] of Object.entries(mapping.lookups)) {
    lookups.set(
      name,
      loadLookup(
        path.resolve(path.dirname(absolute), table.file),
        table,
        `${display} lookups.${name}`,
      ),
    );
  }
  return {
    file: display,
    dataset,
    source: mapping.source,
    rules,
    lookups,
    objection: mapping.objection,
  };
}

function pathOf(error: z.ZodError): string | undefined {
  const first = error.issues[0];
  return first === undefined ? undefined : first.path.map(String).join(".");
}

function loadLookup(
  file: string,
  table: { file: string; key: string; value: string },
  where: string,
): ReadonlyMap<string, string> {
  const fail = (message: string, cause?: unknown): never => {
    throw new PhinError("LOOKUP_INVALID", `${where}: ${message}`, {
      stage: "map",
      file: table.file,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(readFileSync(file), {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (cause) {
    return fail(`cannot read lookup table ${table.file} as CSV with a header row`, cause);
  }
  const result = new Map<string, string>();
  for (const [index, row] of rows.entries()) {
    const key = row[table.key];
    const value = row[table.value];
    if (key === undefined || value === undefined) {
      return fail(`lookup table ${table.file} needs columns "${table.key}" and "${table.value}"`);
    }
    if (result.has(key)) fail(`lookup table ${table.file} line ${index + 2}: key appears twice`);
    result.set(key, value);
  }
  return result;
}
