// Optional identifiability reduction for patients who object (docs/data-protection.md):
// the episode is still submitted, as the law requires, but with NHS number blanked (status 07),
// postcode blanked and date of birth reduced to the first of its month.
import type { ParsedRecord } from "../validate/compile-record-parser.ts";

export const OBJECTION_NHS_STATUS = "07";

export interface Reductions {
  nhsNumber: number;
  postcode: number;
  dateOfBirth: number;
}

export function reduceIdentifiability(record: ParsedRecord, counts: Reductions): void {
  if ("nhs_number" in record) {
    if (record.nhs_number !== null) counts.nhsNumber++;
    record.nhs_number = null;
    record.nhs_number_status = OBJECTION_NHS_STATUS;
  }
  if ("postcode" in record && record.postcode !== null) {
    record.postcode = null;
    counts.postcode++;
  }
  if (typeof record.date_of_birth === "string") {
    record.date_of_birth = `${record.date_of_birth.slice(0, 8)}01`;
    counts.dateOfBirth++;
  }
}
