// Rules for one adverse event (docs/datasets.md), mostly against the linked episode's dates.
import { daysBetween } from "../../formats/dates.ts";
import type { MinimisedRecord } from "../../minimise/minimise.ts";
import {
  DISCHARGE_METHOD_DIED,
  dischargeDestination,
  dischargeMethod,
  READMISSION_WINDOW_DAYS,
  transferDestinations,
} from "../../schemas/v1/code-sets.ts";
import type { ParsedRecord } from "../compile-record-parser.ts";
import type { EpisodeLink } from "../episode-links.ts";
import type { Report } from "../issue.ts";
import { showMember } from "../mask.ts";
import { type CheckContext, str } from "./context.ts";

const transfers: ReadonlySet<string> = new Set(transferDestinations);

export function checkAdverseEvent(
  rec: ParsedRecord,
  raw: MinimisedRecord["fields"],
  link: EpisodeLink | undefined,
  ctx: CheckContext,
  report: Report,
): void {
  const type = str(rec.event_type);
  const date = str(rec.event_date);
  if (type === "TRANSFER_OUT" && raw.transfer_destination_code === null) {
    report("AE_TRANSFER_DESTINATION", "transfer_destination_code");
  }
  const shownDate = date === undefined ? null : ctx.show("event_date", date);
  if (date !== undefined && date > ctx.periodLast)
    report("DATE_AFTER_PERIOD", "event_date", shownDate);
  if (link === undefined || date === undefined) return;

  if (link.admissionDate !== null && date < link.admissionDate)
    report("AE_BEFORE_ADMISSION", "event_date", shownDate);
  const discharge = link.dischargeDate;
  if (type === "READMISSION" && discharge !== null) {
    const days = daysBetween(discharge, date);
    if (days <= 0 || days > READMISSION_WINDOW_DAYS)
      report("AE_READMISSION_WINDOW", "event_date", shownDate);
  }
  const destination = link.dischargeDestination;
  if (type === "TRANSFER_OUT" && destination !== null && !transfers.has(destination)) {
    // The linked episode's codes, not this record's: shown as members of the episode's code sets.
    report("AE_TRANSFER_DISCHARGE", "event_type", showMember(dischargeDestination, destination));
  }
  if (type === "DEATH" && date === discharge && link.dischargeMethod !== DISCHARGE_METHOD_DIED) {
    const method = link.dischargeMethod;
    report(
      "AE_DEATH_DISCHARGE",
      "event_type",
      method === null ? null : showMember(dischargeMethod, method),
    );
  }
}
