// Assembles report.json from the run's outcomes and collected issues. Paths in the report are
// relative to the state directory, so a report can be shared without revealing the host layout.
import path from "node:path";
import type { Manifest } from "../package/manifest.ts";
import type { Outcomes } from "../pipeline/verdict.ts";
import type { DatasetName } from "../schemas/names.ts";
import { datasetOrder } from "../schemas/registry.ts";
import { rules } from "../schemas/rule-catalogue.ts";
import type { IssueCollector } from "./issue-collector.ts";
import type { DatasetReport, ReportV1 } from "./report-schema.ts";

export interface ReportInput {
  readonly runId: string;
  readonly generatedAt: Date;
  readonly runDate: string;
  readonly toolVersion: string;
  readonly providerCode: string;
  readonly period: string;
  readonly schemaVersion: number;
  readonly verdict: ReportV1["verdict"];
  readonly blockedReasons: readonly string[];
  readonly maxRejectedShare: number;
  readonly keyId: string;
  readonly manifest: Manifest | null;
  readonly outDir: string;
  readonly stateDir: string;
  readonly outcomes: Outcomes;
  readonly collector: IssueCollector;
  /** Earlier receipted months (from the ledger), oldest first. */
  readonly history: readonly HistoryPoint[];
}

export type HistoryPoint = Omit<ReportV1["history"][number], "current">;

const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

type Outcome = Outcomes[DatasetName];

const valid = (o: Outcome) => ("skipped" in o ? 0 : o.counts.valid);
const linkedFromEarlier = (o: Outcome) => ("skipped" in o ? 0 : o.linkedFromEarlier);

function datasetReport(o: Outcome): DatasetReport {
  if ("skipped" in o) {
    const zero = { read: 0, valid: 0, rejected: 0, out_of_scope: 0, warnings: 0 };
    return {
      status: "skipped",
      source: o.file,
      ...zero,
      submitted: null,
      rejected_share: 0,
      dropped_columns: [],
      completeness: {},
      objection_reductions: { nhs_number: 0, postcode: 0, date_of_birth: 0 },
    };
  }
  const { counts } = o;
  const inScope = counts.valid + counts.rejected;
  return {
    status: o.error === null ? "read" : "failed",
    source: o.file,
    ...counts,
    submitted: null,
    rejected_share: inScope === 0 ? 0 : round4(counts.rejected / inScope),
    dropped_columns: [...o.droppedColumns],
    completeness: Object.fromEntries(
      Object.entries(o.filled).map(([f, n]) => [f, inScope === 0 ? 0 : round4(n / inScope)]),
    ),
    objection_reductions: {
      nhs_number: o.reductions.nhsNumber,
      postcode: o.reductions.postcode,
      date_of_birth: o.reductions.dateOfBirth,
    },
  };
}

export function buildReport(input: ReportInput): ReportV1 {
  const { outcomes } = input;
  const fileErrors = datasetOrder.flatMap((dataset) => {
    const o = outcomes[dataset];
    if ("skipped" in o || o.error === null) return [];
    const { code, file = null, line = null, field = null, message, hint = null } = o.error;
    return [{ dataset, code, file, line, field, message, hint }];
  });
  const episodes = outcomes.episodes;
  return {
    report_version: 1,
    tool: { name: "phin-submit", version: input.toolVersion },
    run_id: input.runId,
    generated_at: input.generatedAt.toISOString(),
    run_date: input.runDate,
    provider_code: input.providerCode,
    period: input.period,
    schema_version: input.schemaVersion,
    verdict: input.verdict,
    blocked_reasons: [...input.blockedReasons],
    max_rejected_share: input.maxRejectedShare,
    submission_id: input.manifest?.submission_id ?? null,
    pseudonym_key_id: input.keyId,
    bundle:
      input.manifest === null
        ? null
        : {
            directory: path.relative(input.stateDir, input.outDir),
            format: input.manifest.format,
            files: input.manifest.files.map((f) => ({ ...f })),
          },
    datasets: {
      episodes: datasetReport(outcomes.episodes),
      proms: datasetReport(outcomes.proms),
      adverse_events: datasetReport(outcomes.adverse_events),
    },
    file_errors: fileErrors,
    issues_by_rule: input.collector.byRule().map((r) => ({
      dataset: r.dataset,
      rule: r.rule,
      severity: r.severity,
      title: rules[r.rule].title,
      fix: rules[r.rule].fix,
      count: r.count,
      examples: r.examples.map((e) => ({
        file: e.file,
        line: e.line,
        record_id: e.recordId,
        field: e.field,
        value: e.value,
      })),
    })),
    issues_by_field: input.collector.byField().map((f) => ({ ...f })),
    nhs_number_blank_by_site: "skipped" in episodes ? {} : { ...episodes.nhsBlankBySite },
    links_from_earlier_months: {
      proms: linkedFromEarlier(outcomes.proms),
      adverse_events: linkedFromEarlier(outcomes.adverse_events),
    },
    history: [
      ...input.history
        .filter((h) => h.period !== input.period)
        .map((h) => ({ ...h, current: false })),
      {
        period: input.period,
        submission_id: input.manifest?.submission_id ?? null,
        episodes: valid(outcomes.episodes),
        proms: valid(outcomes.proms),
        adverse_events: valid(outcomes.adverse_events),
        current: true,
      },
    ],
    receipt: null,
  };
}
