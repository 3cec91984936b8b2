// Optional identifiability reduction for patients who object (docs/data-protection.md): the
// episode is still submitted, as the law requires, but with NHS number blanked (status 07),
// postcode blanked and date of birth reduced to the first of its month. Applied to the mapped
// values, before validation, so what is validated is what is sent.
import { compileFirstOfMonth } from "../formats/dates.ts";
import type { MappedValue } from "../map/compile-mapper.ts";

export const OBJECTION_NHS_STATUS = "07";

export interface Reductions {
  nhsNumber: number;
  postcode: number;
  dateOfBirth: number;
}

/** Reduces a record's fields in place; returns which reductions changed a value. */
export type Reducer = (fields: Record<string, MappedValue>) => Reductions;

/** `dateOfBirthFormat`: the mapping's date format for date_of_birth. */
export function createReducer(dateOfBirthFormat: string): Reducer {
  const firstOfMonth = compileFirstOfMonth(dateOfBirthFormat);
  return (fields) => {
    const done = { nhsNumber: 0, postcode: 0, dateOfBirth: 0 };
    if ("nhs_number" in fields) {
      if (fields.nhs_number !== null) done.nhsNumber = 1;
      fields.nhs_number = null;
      fields.nhs_number_status = OBJECTION_NHS_STATUS;
    }
    if ("postcode" in fields && fields.postcode !== null) {
      fields.postcode = null;
      done.postcode = 1;
    }
    if (typeof fields.date_of_birth === "string") {
      // A date that does not parse is left for validation to reject; it is never sent.
      const reduced = firstOfMonth(fields.date_of_birth);
      if (reduced !== undefined) {
        fields.date_of_birth = reduced;
        done.dateOfBirth = 1;
      }
    }
    return done;
  };
}
