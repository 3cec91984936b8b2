// Rules for one PROM response (docs/datasets.md): instrument against procedure group, score
// against the instrument, stage against the linked episode's procedure date.

import type { MinimisedRecord } from "../../minimise/minimise.ts";
import { type Instrument, instruments, type ProcedureGroup } from "../../schemas/v1/code-sets.ts";
import type { ParsedRecord } from "../compile-record-parser.ts";
import type { EpisodeLink } from "../episode-links.ts";
import type { Report } from "../issue.ts";
import { showPair } from "../mask.ts";
import { type CheckContext, str } from "./context.ts";

export function checkProm(
  rec: ParsedRecord,
  raw: MinimisedRecord["fields"],
  link: EpisodeLink | undefined,
  ctx: CheckContext,
  report: Report,
): void {
  const instrument = str(rec.instrument) as Instrument | undefined;
  const group = str(rec.procedure_group) as ProcedureGroup | undefined;
  const rule = instrument === undefined ? undefined : instruments[instrument];
  if (
    instrument !== undefined &&
    rule !== undefined &&
    group !== undefined &&
    !rule.groups.includes(group)
  ) {
    const shown = showPair(ctx.show("instrument", instrument), ctx.show("procedure_group", group));
    report("PROM_INSTRUMENT_GROUP", "instrument", shown);
  }
  if (rule !== undefined) {
    const score = rec.score;
    if (rule.score === null) {
      if (typeof score === "number") report("PROM_SCORE_RANGE", "score", ctx.show("score", score));
      if (raw.eq5d_profile === null) report("PROM_PROFILE_MISSING", "eq5d_profile");
    } else if (typeof score === "number") {
      const { min, max, integer } = rule.score;
      if (score < min || score > max || (integer && !Number.isInteger(score))) {
        report("PROM_SCORE_RANGE", "score", ctx.show("score", score));
      }
    } else if (raw.score === null) {
      // Blank, not unreadable: an unreadable score already has NUMBER_INVALID.
      report("PROM_SCORE_MISSING", "score");
    }
  }
  const completed = str(rec.completed_date);
  if (completed !== undefined && completed > ctx.periodLast)
    report("DATE_AFTER_PERIOD", "completed_date", ctx.show("completed_date", completed));
  const procedureDate = link?.primaryProcedureDate ?? null;
  if (completed !== undefined && procedureDate !== null) {
    if (rec.stage === "PRE" && completed > procedureDate)
      report("PROM_STAGE_TIMING", "stage", ctx.show("stage", "PRE"));
    if (rec.stage === "POST" && completed <= procedureDate)
      report("PROM_STAGE_TIMING", "stage", ctx.show("stage", "POST"));
  }
}
