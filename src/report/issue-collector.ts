// Gathers every issue of a run with bounded memory: counts per rule and per field, the first few
// examples per rule for the report, and every issue streamed to issues.csv as it arrives.
import type { TextFile } from "../io/text-file.ts";
import type { DatasetName } from "../schemas/names.ts";
import { rules } from "../schemas/rule-catalogue.ts";
import type { Issue } from "../validate/issue.ts";
import { spreadsheetRows } from "./spreadsheet-safe.ts";

const EXAMPLES_PER_RULE = 5;

export type RuleCount = Pick<Issue, "dataset" | "rule" | "severity"> & {
  count: number;
  readonly examples: Issue[];
};

export type FieldCount = { readonly dataset: DatasetName; readonly field: string; count: number };

/** Counts sorted most frequent first, ties by dataset then by the given name. */
function byCount<T extends { dataset: string; count: number }>(
  counts: Iterable<T>,
  name: (c: T) => string,
): T[] {
  return [...counts].sort(
    (a, b) =>
      b.count - a.count || a.dataset.localeCompare(b.dataset) || name(a).localeCompare(name(b)),
  );
}

export class IssueCollector {
  readonly #sink: TextFile;
  readonly #byRule = new Map<string, RuleCount>();
  readonly #byField = new Map<string, FieldCount>();
  #rows: string[][] = [];

  constructor(sink: TextFile) {
    this.#sink = sink;
  }

  /** The first line of issues.csv: the columns of the rows add() queues, in their order. */
  static header(): string {
    return "dataset,file,line,record_id,severity,rule,field,value,problem\r\n";
  }

  add(issue: Issue): void {
    const { dataset, rule, severity, field } = issue;
    const ruleKey = `${dataset}\u0000${rule}`;
    const byRule = this.#byRule.get(ruleKey) ?? { dataset, rule, severity, count: 0, examples: [] };
    this.#byRule.set(ruleKey, byRule);
    byRule.count++;
    if (byRule.examples.length < EXAMPLES_PER_RULE) byRule.examples.push(issue);
    if (field !== null) {
      const fieldKey = `${dataset}\u0000${field}`;
      const byField = this.#byField.get(fieldKey) ?? { dataset, field, count: 0 };
      this.#byField.set(fieldKey, byField);
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

  /** Counts per (dataset, rule). */
  byRule(): RuleCount[] {
    return byCount(this.#byRule.values(), (r) => r.rule);
  }

  byField(): FieldCount[] {
    return byCount(this.#byField.values(), (f) => f.field);
  }
}
