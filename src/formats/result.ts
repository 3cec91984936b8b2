// The outcome of parsing one source value: the stored form, or a reason that never quotes the
// input (reasons may be logged; inputs may be patient data).
export type FormatResult<T = string> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export const okResult = <T>(value: T): FormatResult<T> => ({ ok: true, value });
export const failResult = (reason: string): FormatResult<never> => ({ ok: false, reason });
