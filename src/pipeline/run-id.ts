// Run ids: sortable by time, unique enough per machine, used for staging, logs and reports.
import { randomBytes } from "node:crypto";

export function newRunId(instant: Date): string {
  const stamp = instant
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}
