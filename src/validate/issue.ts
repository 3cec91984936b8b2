// The unit of validation output: one broken rule on one record, with where it was found and,
// at most, a masked or code value. Issues are collected, never thrown (house style: medplum's
// OperationOutcome); the report counts them and issues.csv lists them.
import type { DatasetName, RuleId, Severity } from "../schemas/names.ts";
import type { ShownValue } from "./mask.ts";

/** What a record check reports; the pipeline adds dataset, location and severity. */
export interface Finding {
  readonly rule: RuleId;
  readonly field: string | null;
  /** Only what src/validate/mask.ts allows: a proven code, a masked identifier, or a shape. */
  readonly value?: ShownValue | null;
}

export interface Issue extends Finding {
  readonly severity: Severity;
  readonly dataset: DatasetName;
  /** Display path of the source file. */
  readonly file: string;
  /** 1-based line of the record in the source file. */
  readonly line: number;
  /** The record's own id (episode_id, response_id, event_id) when it is well-formed. */
  readonly recordId: string | null;
  /** The offending value as it may be shown (masked per docs/data-protection.md), or null. */
  readonly value: ShownValue | null;
}

export type Report = (rule: RuleId, field: string | null, value?: ShownValue | null) => void;
