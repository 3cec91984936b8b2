// The outcome of parsing one source value: the stored form, or a reason that never quotes the
// input (reasons reach logs and reports; inputs may be patient data).
// Readonly so that parsers can hand out shared, preallocated results on the hot path.
export type FormatResult<T = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export const okResult = <T>(value: T): FormatResult<T> => ({ ok: true, value });

/** Call at module level only: a failure is a constant phrase, allocated once. */
export const failResult = (reason: string): FormatResult<never> =>
  Object.freeze({ ok: false, reason });
