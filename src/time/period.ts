// Submission periods (calendar months, YYYY-MM) and the Europe/London calendar the run date and
// `--period previous` are judged in: a run at 00:30 BST on 1 August is in August, not July.
import { PhinError } from "../errors.ts";
import { periodBounds } from "../formats/dates.ts";

export interface Period {
  /** YYYY-MM */
  readonly id: string;
  /** First and last day, YYYY-MM-DD. */
  readonly first: string;
  readonly last: string;
}

export function parsePeriod(text: string): Period | undefined {
  const bounds = periodBounds(text);
  if (bounds === undefined) return undefined;
  return { id: text, ...bounds };
}

const londonDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Europe/London calendar date of an instant, YYYY-MM-DD. */
export function londonDate(instant: Date): string {
  return londonDay.format(instant);
}

/** The month before the Europe/London month of `instant`. */
export function previousPeriod(instant: Date): Period {
  const [year, month] = londonDate(instant).split("-").map(Number) as [number, number];
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  return parsePeriod(`${prevYear}-${String(prevMonth).padStart(2, "0")}`) as Period;
}

/** Whether the period's last day is over in Europe/London at `instant`. */
export function periodEnded(period: Period, instant: Date): boolean {
  return londonDate(instant) > period.last;
}

/** `submit` sends finished months only: a month still running would be sent incomplete. */
export function assertPeriodEnded(period: Period, instant: Date): void {
  if (periodEnded(period, instant)) return;
  throw new PhinError(
    "PERIOD_NOT_ENDED",
    `period ${period.id} has not ended yet in Europe/London time (its last day is ${period.last})`,
    {
      stage: "cli",
      field: "--period",
      hint: "submit a month once it is over (the scheduled run uses --period previous); `validate` checks a running month",
    },
  );
}
