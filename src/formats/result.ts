// The outcome of parsing one source value: the stored form, or a reason that never quotes the
// input (reasons reach logs and reports; inputs may be patient data).
export type FormatResult<T = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export const okResult = <T>(value: T): FormatResult<T> => ({ ok: true, value });

/** `reason` is a fixed phrase, never built from the input. */
export const failResult = (reason: string): FormatResult<never> => ({ ok: false, reason });
