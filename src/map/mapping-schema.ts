// The mapping file format (mappings/*.json): how one source system's extract becomes one
// dataset's records. Declarative on purpose: a provider's analyst edits these, not code.
// mappings/mapping.schema.json is generated from this module (npm run gen:schemas).
import { z } from "zod";

const encoding = z
  .enum(["utf-8", "windows-1252", "latin1"])
  .default("utf-8")
  .describe("Character encoding of the extract. A UTF-8 byte order mark is tolerated.");

const cap = (description: string) => z.number().int().positive().optional().describe(description);
const caps = {
  max_records: cap("Most records accepted (default 20 000 000)."),
  max_record_bytes: cap("Largest single record in bytes (default 1 048 576)."),
  max_file_bytes: cap("Largest file in bytes (default 8 GiB)."),
};

const oneChar = z.string().length(1);
/** An optional column name (CSV, SQL) or XML path. */
const optionalPath = (description: string) => z.string().min(1).optional().describe(description);

export const $CsvSourceFormat = z.strictObject({
  format: z.literal("csv"),
  encoding,
  delimiter: oneChar.default(",").describe("Field delimiter (one character)."),
  quote: oneChar.default('"').describe("Quote character (one character)."),
  escape: oneChar
    .optional()
    .describe("Escape character inside quoted fields (default: the quote, as RFC 4180)."),
  header: z.boolean().default(true).describe("Whether the first row names the columns."),
  columns: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("Column names, in order, when the extract has no header row."),
  ...caps,
});

export const $XmlSourceFormat = z.strictObject({
  format: z.literal("xml"),
  encoding,
  record_path: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*(\/[A-Za-z_][\w.-]*)*$/)
    .describe(
      "Element names from the document root to the record element, e.g. Export/Episodes/Episode.",
    ),
  ...caps,
});

export const $SqlSourceFormat = z.strictObject({
  format: z.literal("sql"),
  max_records: caps.max_records,
  max_record_bytes: cap(
    "Largest single row in bytes, its values' characters added up (default 1 048 576).",
  ),
});

export const $SourceFormat = z
  .discriminatedUnion("format", [$CsvSourceFormat, $XmlSourceFormat, $SqlSourceFormat])
  .describe(
    "How the extract is read. `sql`: the rows of the query the config names (source.kind postgres or mysql), read by column name like CSV.",
  );
export type SourceFormat = z.infer<typeof $SourceFormat>;

/** Column names generated from a template: `{n}` is the number, `{nn}` the number zero-padded to 2. */
const $ColumnTemplate = z.strictObject({
  template: z.string().regex(/\{nn?\}/, "must contain {n} or {nn}"),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
});
const $Columns = z.union([z.array(z.string().min(1)).min(1), $ColumnTemplate]);
export type Columns = z.infer<typeof $Columns>;

const transforms = {
  map: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Local value -> national code. Values not listed pass through unchanged (validation then reports them).",
    ),
  lookup: z
    .string()
    .optional()
    .describe("Name of a lookup table (see `lookups`) applied to the value."),
  date_format: z
    .string()
    .optional()
    .describe("Date format of this field when it differs from the mapping's `date_format`."),
};

/** One scalar target field. Exactly one of `from` or `const`. */
export const $ScalarRule = z
  .strictObject({
    from: optionalPath(
      "CSV or SQL column name, or XML path relative to the record (a/b, a/@attr).",
    ),
    const: z.string().optional().describe("A constant value for every record."),
    ...transforms,
    format: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Local id fields only (spell_id, episode_id, response_id, event_id): a regular expression the whole id must match, e.g. E[0-9]{4}-[0-9]{5}. Default: at most 20 of A-Z a-z 0-9 _ -, holding a digit.",
      ),
  })
  .refine((rule) => (rule.from === undefined) !== (rule.const === undefined), {
    message: "give exactly one of `from` or `const`",
  });

/** A repeated code field (secondary diagnoses). */
export const $ListRule = z
  .strictObject({
    columns: $Columns.optional().describe("CSV and SQL: the repeated columns, in order."),
    each: optionalPath("XML: path of the repeated element, relative to the record."),
    value: z
      .string()
      .min(1)
      .default(".")
      .describe("XML: path of the code inside each repeated element."),
    map: transforms.map,
  })
  .refine((rule) => (rule.columns === undefined) !== (rule.each === undefined), {
    message: "give exactly one of `columns` (CSV) or `each` (XML)",
  });

/** Repeated procedures with dates. */
export const $ProcedureListRule = z
  .strictObject({
    columns: $Columns.optional().describe("CSV and SQL: the procedure code columns, in order."),
    date_columns: $Columns
      .optional()
      .describe("CSV and SQL: the procedure date columns, paired with `columns`."),
    each: optionalPath("XML: path of the repeated procedure element."),
    code: optionalPath("XML: path of the code inside each procedure element."),
    date: optionalPath("XML: path of the date inside each procedure element."),
    date_format: transforms.date_format,
  })
  .refine(
    (rule) => {
      const csv = [rule.columns, rule.date_columns];
      const xml = [rule.each, rule.code, rule.date];
      const all = (keys: unknown[]) => keys.every((key) => key !== undefined);
      const none = (keys: unknown[]) => keys.every((key) => key === undefined);
      return (all(csv) && none(xml)) || (all(xml) && none(csv));
    },
    { message: "give `columns` and `date_columns` (CSV), or `each`, `code` and `date` (XML)" },
  );

export const $LookupTable = z.strictObject({
  file: z.string().min(1).describe("CSV file (UTF-8, header row), relative to the mapping file."),
  key: z.string().min(1).describe("Column holding the local value."),
  value: z.string().min(1).describe("Column holding the national value."),
});

export const $MappingV1 = z.strictObject({
  $schema: z.string().optional(),
  mapping_version: z.literal(1).describe("Version of this file format."),
  dataset: z.enum(["episodes", "proms", "adverse_events"]).describe("Target dataset."),
  schema_version: z.literal(1).default(1).describe("Dataset schema version the fields target."),
  description: z.string().optional(),
  source: $SourceFormat,
  date_format: z
    .string()
    .default("ISO")
    .describe(
      "Default date format: tokens YYYY MM DD M D with separators, or ISO (date, optional time).",
    ),
  lookups: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), $LookupTable).default({}),
  fields: z
    .record(z.string(), z.unknown())
    .describe(
      "Target field -> rule. Scalar fields take {from|const, map, lookup, date_format}; list fields {columns|each}.",
    ),
  objection: z
    .strictObject({
      from: z.string().min(1),
      values: z.array(z.string()).min(1).describe("Source values meaning the patient objects."),
    })
    .optional()
    .describe(
      "Where the extract flags patients who object to identifiable sharing (docs/data-protection.md).",
    ),
});
export type MappingV1 = z.infer<typeof $MappingV1>;
export type ScalarRule = z.infer<typeof $ScalarRule>;
export type ListRule = z.infer<typeof $ListRule>;
export type ProcedureListRule = z.infer<typeof $ProcedureListRule>;
