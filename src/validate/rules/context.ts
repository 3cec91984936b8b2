// What record rules know beyond the record itself: the submission period and the run date, as
// ISO strings (which order correctly as strings) fixed once per run by the injected clock, and
// how a value of the record's fields may appear in reports.
import type { ShownValue } from "../mask.ts";

export interface RuleContext {
  /** First day of the period, YYYY-MM-DD. */
  readonly periodFirst: string;
  /** Last day of the period, YYYY-MM-DD. */
  readonly periodLast: string;
  /** The run date (Europe/London calendar day), YYYY-MM-DD. */
  readonly runDate: string;
}

export interface CheckContext extends RuleContext {
  /** A stored value of one of the record's fields as reports may show it (validate/mask.ts). */
  readonly show: (field: string, stored: string | number) => ShownValue | null;
}

/** A present, parsed string value or undefined: record rules only judge inputs that parsed. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
