// Gathers every issue of a run with bounded memory: counts per rule and per field, the first few
// examples per rule for the report, and every issue streamed to issues.csv as it arrives.
import type { TextFile } from "../io/text-file.ts";
import type { DatasetName, RuleId, Severity } from "../schemas/names.ts";
import type { Issue } from "../validate/issue.ts";
import { rules } from "../validate/rule-catalogue.ts";
import { spreadsheetRows } from "./spreadsheet-safe.ts";

export const EXAMPLES_PER_RULE = 5;

export const issuesCsvColumns = [
  "dataset",
  "file",
  "line",
  "record_id",
  "severity",
  "rule",
  "field",
  "value",
  "problem",
] as const;

export interface RuleCount {
  readonly dataset: DatasetName;
  readonly rule: RuleId;
  readonly severity: Severity;
  count: number;
  readonly examples: Issue[];
}

export interface FieldCount {
  readonly dataset: DatasetName;
  readonly field: string;
  count: number;
}

export class IssueCollector {
  readonly #sink: TextFile;
  readonly #byRule = new Map<string, RuleCount>();
  readonly #byField = new Map<string, FieldCount>();
  #rows: string[][] = [];

  constructor(sink: TextFile) {
    this.#sink = sink;
  }

  static header(): string {
    return spreadsheetRows([issuesCsvColumns]);
  }

  add(issue: Issue): void {
    const ruleKey = `${issue.dataset}\u0000${issue.rule}`;
    let byRule = this.#byRule.get(ruleKey);
    if (byRule === undefined) {
      byRule = {
        dataset: issue.dataset,
        rule: issue.rule,
        severity: issue.severity,
        count: 0,
        examples: [],
      };
      this.#byRule.set(ruleKey, byRule);
    }
    byRule.count++;
    if (byRule.examples.length < EXAMPLES_PER_RULE) byRule.examples.push(issue);
    if (issue.field !== null) {
      const fieldKey = `${issue.dataset}\u0000${issue.field}`;
      let byField = this.#byField.get(fieldKey);
      if (byField === undefined) {
        byField = { dataset: issue.dataset, field: issue.field, count: 0 };
        this.#byField.set(fieldKey, byField);
      }
      byField.count++;
    }
    this.#rows.push([
      issue.dataset,
      issue.file,
      String(issue.line),
      issue.recordId ?? "",
      issue.severity,
      issue.rule,
      issue.field ?? "",
      issue.value ?? "",
      rules[issue.rule].title,
    ]);
  }

  /** Write the queued issues.csv rows; called once per batch so memory stays bounded. */
  async drain(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    await this.#sink.write(spreadsheetRows(rows));
  }

  /** Counts per (dataset, rule), most frequent first, ties by dataset then rule id. */
  byRule(): RuleCount[] {
    return [...this.#byRule.values()].sort(
      (a, b) =>
        b.count - a.count || a.dataset.localeCompare(b.dataset) || a.rule.localeCompare(b.rule),
    );
  }

  byField(): FieldCount[] {
    return [...this.#byField.values()].sort(
      (a, b) =>
        b.count - a.count || a.dataset.localeCompare(b.dataset) || a.field.localeCompare(b.field),
    );
  }
}
