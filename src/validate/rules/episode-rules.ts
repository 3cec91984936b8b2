// Rules across the fields of one episode (docs/datasets.md). They run on the parsed record, so a
// field that failed its own check is absent here and causes no second, cascading issue.

import { defaultConsultantCodes } from "../../formats/consultant-code.ts";
import { ageInYears } from "../../formats/dates.ts";
import type { RawProcedure } from "../../map/compile-mapper.ts";
import type { MinimisedRecord } from "../../minimise/minimise.ts";
import {
  DAY_CASE,
  DISCHARGE_DESTINATION_DIED,
  DISCHARGE_METHOD_DIED,
} from "../../schemas/v1/code-sets.ts";
import type { ParsedRecord } from "../compile-record-parser.ts";
import type { Report } from "../issue.ts";
import { showCount, showPair } from "../mask.ts";
import { type CheckContext, str } from "./context.ts";

const dateOrder = [
  "date_of_birth",
  "admission_date",
  "episode_start_date",
  "episode_end_date",
  "discharge_date",
] as const;
const datedFields = [...dateOrder, "primary_procedure_date"] as const;
const defaults = new Set(defaultConsultantCodes);

export function checkEpisode(
  rec: ParsedRecord,
  raw: MinimisedRecord["fields"],
  ctx: CheckContext,
  report: Report,
): void {
  // The dates of datedFields, each read by its own name: `rec[field]` with `field` varying is
  // a megamorphic load in V8 (a hash probe, record-shape.ts), eleven of them per episode.
  const dates = [
    rec.date_of_birth,
    rec.admission_date,
    rec.episode_start_date,
    rec.episode_end_date,
    rec.discharge_date,
    rec.primary_procedure_date,
  ];
  // Dates in order: one issue per record, on the first later date that breaks the chain.
  let previous: string | undefined;
  for (let i = 0; i < dateOrder.length; i++) {
    const value = str(dates[i]);
    if (value === undefined) continue;
    if (previous !== undefined && value < previous) {
      report("EP_DATE_ORDER", dateOrder[i] as string);
      break;
    }
    previous = value;
  }

  for (let i = 0; i < datedFields.length; i++) {
    const value = str(dates[i]);
    if (value === undefined || value <= ctx.runDate) continue;
    const field = datedFields[i] as string;
    report("EP_FUTURE_DATE", field, ctx.show(field, value));
  }
  const secondary = (rec.secondary_procedures ?? []) as { code: string; date: string }[];
  for (const p of secondary)
    if (p.date > ctx.runDate)
      report("EP_FUTURE_DATE", "secondary_procedures", ctx.show("primary_procedure_date", p.date));

  const dob = str(rec.date_of_birth);
  const admission = str(rec.admission_date);
  if (dob !== undefined && admission !== undefined && dob <= admission) {
    const age = ageInYears(dob, admission);
    if (age > 120) report("EP_AGE_RANGE", "age_at_admission", showCount(age));
    else rec.age_at_admission = age;
  }

  const discharge = str(rec.discharge_date);
  if (discharge !== undefined && (discharge < ctx.periodFirst || discharge > ctx.periodLast)) {
    report("EP_DISCHARGE_PERIOD", "discharge_date", ctx.show("discharge_date", discharge));
  }

  const method = str(rec.discharge_method);
  const destination = str(rec.discharge_destination);
  if (method !== undefined && destination !== undefined) {
    if ((method === DISCHARGE_METHOD_DIED) !== (destination === DISCHARGE_DESTINATION_DIED)) {
      const shown = showPair(
        ctx.show("discharge_method", method),
        ctx.show("discharge_destination", destination),
      );
      report("EP_DEATH_CONSISTENCY", "discharge_method", shown);
    }
  }

  // Blank, not invalid: an invalid number already has NHS_NUMBER_INVALID.
  const nhsBlank = raw.nhs_number === null;
  if (rec.nhs_number_status === "01" && nhsBlank)
    report("EP_NHS_STATUS_VERIFIED", "nhs_number_status");
  if (nhsBlank) report("EP_NHS_NUMBER_BLANK", "nhs_number");

  // Procedure codes and dates come in pairs; judged on presence in the source.
  if ((raw.primary_procedure === null) !== (raw.primary_procedure_date === null)) {
    report(
      "EP_PROCEDURE_DATE_PAIR",
      raw.primary_procedure === null ? "primary_procedure" : "primary_procedure_date",
    );
  }
  for (const p of (raw.secondary_procedures ?? []) as RawProcedure[]) {
    if ((p.code === null) !== (p.date === null))
      report("EP_PROCEDURE_DATE_PAIR", "secondary_procedures");
  }

  const start = str(rec.episode_start_date);
  const end = str(rec.episode_end_date);
  if (start !== undefined && end !== undefined) {
    const primaryDate = str(rec.primary_procedure_date);
    if (primaryDate !== undefined && (primaryDate < start || primaryDate > end)) {
      report(
        "EP_PROCEDURE_DATE_RANGE",
        "primary_procedure_date",
        ctx.show("primary_procedure_date", primaryDate),
      );
    }
    for (const p of secondary) {
      if (p.date < start || p.date > end)
        report(
          "EP_PROCEDURE_DATE_RANGE",
          "secondary_procedures",
          ctx.show("primary_procedure_date", p.date),
        );
    }
  }

  if (
    rec.patient_classification === DAY_CASE &&
    admission !== undefined &&
    discharge !== undefined &&
    discharge !== admission
  ) {
    report("EP_DAY_CASE_LOS", "discharge_date");
  }
  const consultant = str(rec.consultant_code);
  if (consultant !== undefined && defaults.has(consultant) && raw.primary_procedure !== null) {
    report("EP_DEFAULT_CONSULTANT", "consultant_code", ctx.show("consultant_code", consultant));
  }
  if (rec.funding_source === "INSURED" && raw.insurer_code === null)
    report("EP_INSURER_MISSING", "insurer_code");
}
