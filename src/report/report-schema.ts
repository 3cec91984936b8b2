// report.json, schema version 1: the stable, machine-readable outcome of a validation run.
// report.schema.json is generated from this module; fields are only ever added.
import { z } from "zod";

const datasetName = z.enum(["episodes", "proms", "adverse_events"]);
const int = z.number().int();

const $Example = z.strictObject({
  file: z.string(),
  line: int,
  record_id: z.string().nullable(),
  field: z.string().nullable(),
  value: z
    .string()
    .nullable()
    .describe("Failing value as it may be shown: codes as received, identifiers masked."),
});

export const $DatasetReport = z.strictObject({
  status: z.enum(["read", "failed", "skipped"]),
  source: z.string(),
  read: int,
  valid: int,
  rejected: int,
  out_of_scope: int,
  warnings: int,
  submitted: int.nullable().describe("Records sent to PHIN; null until a receipt is recorded."),
  rejected_share: z.number().describe("rejected / (valid + rejected), 0 when nothing is in scope"),
  dropped_columns: z
    .array(z.string())
    .describe("Source columns no mapping reads (names only; values never leave)."),
  completeness: z
    .record(z.string(), z.number())
    .describe("Field -> share of in-scope records where it is filled."),
  objection_reductions: z.strictObject({ nhs_number: int, postcode: int, date_of_birth: int }),
});

export const $ReportV1 = z.strictObject({
  report_version: z.literal(1),
  tool: z.strictObject({ name: z.literal("phin-submit"), version: z.string() }),
  run_id: z.string(),
  generated_at: z.string().describe("ISO 8601 instant of the run."),
  run_date: z.string().describe("Europe/London date rules judged 'future' against."),
  provider_code: z.string(),
  period: z.string(),
  schema_version: int,
  verdict: z.enum(["ready", "blocked"]),
  blocked_reasons: z.array(z.string()),
  max_rejected_share: z.number(),
  submission_id: z.string().nullable().describe("Null when blocked: no bundle is kept."),
  pseudonym_key_id: z.string(),
  bundle: z
    .strictObject({
      directory: z.string(),
      format: z.enum(["csv", "xml"]),
      files: z.array(
        z.strictObject({ name: z.string(), bytes: int, sha256: z.string(), records: int }),
      ),
    })
    .nullable(),
  datasets: z.strictObject({
    episodes: $DatasetReport,
    proms: $DatasetReport,
    adverse_events: $DatasetReport,
  }),
  file_errors: z.array(
    z.strictObject({
      dataset: datasetName,
      code: z.string(),
      file: z.string().nullable(),
      line: int.nullable(),
      field: z.string().nullable(),
      message: z.string(),
      hint: z.string().nullable(),
    }),
  ),
  issues_by_rule: z.array(
    z.strictObject({
      dataset: datasetName,
      rule: z.string(),
      severity: z.enum(["E", "W"]),
      title: z.string(),
      fix: z.string(),
      count: int,
      examples: z.array($Example),
    }),
  ),
  issues_by_field: z.array(z.strictObject({ dataset: datasetName, field: z.string(), count: int })),
  nhs_number_blank_by_site: z.record(z.string(), int),
  links_from_earlier_months: z
    .strictObject({ proms: int, adverse_events: int })
    .describe(
      "PROMs and events whose link an accepted episode of an earlier month satisfied (state store).",
    ),
  history: z
    .array(
      z.strictObject({
        period: z.string(),
        submission_id: z.string().nullable(),
        episodes: int,
        proms: int,
        adverse_events: int,
        current: z.boolean(),
      }),
    )
    .describe("Valid records per month: earlier receipted months from the ledger, then this run."),
  receipt: z
    .strictObject({ receipt_id: z.string(), received_at: z.string(), submission_id: z.string() })
    .nullable()
    .describe("PHIN's verified receipt, once submitted."),
});

export type ReportV1 = z.infer<typeof $ReportV1>;
export type DatasetReport = z.infer<typeof $DatasetReport>;
