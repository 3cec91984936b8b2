// The one place errors become exit codes (docs/errors.md). Schedulers act on these numbers.
import { type ErrorClass, isPhinError } from "../errors.ts";

export const exitCodes = {
  OK: 0,
  LOCKED: 11,
  USAGE: 64,
  BLOCKED: 65,
  INTERNAL: 70,
  TRANSIENT: 75,
  REJECTED: 76,
  TLS_AUTH: 77,
  CONFIG: 78,
} as const;

export const exitCodeTable: readonly [number, string][] = [
  [exitCodes.OK, "success (including: period already submitted)"],
  [exitCodes.LOCKED, "another run holds the lock for this period"],
  [exitCodes.USAGE, "usage error (bad command line)"],
  [exitCodes.BLOCKED, "validation blocked the submission (report written)"],
  [exitCodes.INTERNAL, "internal error"],
  [exitCodes.TRANSIENT, "transport failed after retries (safe to rerun)"],
  [exitCodes.REJECTED, "rejected by PHIN"],
  [exitCodes.TLS_AUTH, "TLS, authentication or receipt authenticity refused"],
  [exitCodes.CONFIG, "configuration or secret missing or invalid"],
];

const byClass: Record<ErrorClass, number> = {
  usage: exitCodes.USAGE,
  config: exitCodes.CONFIG,
  input: exitCodes.BLOCKED,
  transient: exitCodes.TRANSIENT,
  rejected: exitCodes.REJECTED,
  trust: exitCodes.TLS_AUTH,
  locked: exitCodes.LOCKED,
  internal: exitCodes.INTERNAL,
};

export function exitCodeFor(error: unknown): number {
  return isPhinError(error) ? byClass[error.errorClass] : exitCodes.INTERNAL;
}
