// The clock every command reads: the system's, or for testing only a fixed instant from
// PHIN_NOW (ISO 8601 with a zone, e.g. 2026-11-05T09:00:00Z), so tests run the real CLI on
// any date. A production run never sets it.
import { PhinError } from "../errors.ts";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function clockFrom(env: Readonly<Record<string, string | undefined>>): () => Date {
  const fixed = env.PHIN_NOW;
  if (fixed === undefined) return () => new Date();
  const at = new Date(fixed);
  if (!ISO_INSTANT.test(fixed) || Number.isNaN(at.getTime())) {
    throw new PhinError("CONFIG_INVALID", "PHIN_NOW must be an ISO 8601 instant with a zone", {
      stage: "config",
      field: "PHIN_NOW",
      hint: "unset PHIN_NOW (it is for testing only), or set it like 2026-11-05T09:00:00Z",
    });
  }
  return () => new Date(at.getTime());
}
