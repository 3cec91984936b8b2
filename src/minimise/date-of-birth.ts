// `minimise.date_of_birth` (docs/data-protection.md): how much of the date of birth leaves.
// Applied to the validated record, so the age at admission, the date order and the future-date
// rules were all judged on the full date; the reduced date is what the bundle holds.

export type DateOfBirthPrecision = "full" | "month" | "year";

/** Reduces a stored (ISO) date of birth; null when the precision is `full` (nothing to do). */
export function dateOfBirthReducer(
  precision: DateOfBirthPrecision,
): ((iso: string) => string) | null {
  switch (precision) {
    case "full":
      return null;
    case "month":
      return (iso) => `${iso.slice(0, 7)}-01`;
    case "year":
      return (iso) => `${iso.slice(0, 4)}-01-01`;
  }
}
