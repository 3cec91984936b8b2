// What record rules know beyond the record itself: the submission period and the run date, as
// ISO strings (which order correctly as strings) fixed once per run by the injected clock.

export interface RuleContext {
  /** First day of the period, YYYY-MM-DD. */
  readonly periodFirst: string;
  /** Last day of the period, YYYY-MM-DD. */
  readonly periodLast: string;
  /** The run date (Europe/London calendar day), YYYY-MM-DD. */
  readonly runDate: string;
}

/** A present, parsed string value or undefined: record rules only judge inputs that parsed. */
export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
