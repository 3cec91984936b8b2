// Validation of one minimised record: field parsing, then the dataset's rules across fields and
// links. Returns the stored-form record and every finding; the caller decides what a finding
// means for the record (any E rejects it) and where it is reported.
import type { MinimisedRecord } from "../minimise/minimise.ts";
import {
  compileRecordParser,
  type ParsedRecord,
  type RecordParserOptions,
} from "./compile-record-parser.ts";
import type { EpisodeLinks } from "./episode-links.ts";
import type { Finding, Report } from "./issue.ts";
import { showStored } from "./mask.ts";
import { checkAdverseEvent } from "./rules/adverse-event-rules.ts";
import type { CheckContext, RuleContext } from "./rules/context.ts";
import { checkEpisode } from "./rules/episode-rules.ts";
import { resolveLink } from "./rules/link-rules.ts";
import { checkProm } from "./rules/prom-rules.ts";

export interface RecordValidatorOptions extends RecordParserOptions {
  readonly ruleContext: RuleContext;
  readonly index: EpisodeLinks;
}

export interface Validated {
  readonly record: ParsedRecord;
  readonly findings: readonly Finding[];
}

type Check = (rec: ParsedRecord, raw: MinimisedRecord["fields"], report: Report) => void;

/** Clinical dates this long before the period are shown as their year (mask.ts). */
const RECENT_YEARS = 2;

/** The rules' context: the run's, and how a stored value of each field may be shown. */
function checkContext(options: RecordValidatorOptions): CheckContext {
  const { ruleContext, dataset } = options;
  const recentFrom = `${Number(ruleContext.periodFirst.slice(0, 4)) - RECENT_YEARS}-01-01`;
  const show: CheckContext["show"] = (field, stored) => {
    const type = dataset.fields[field]?.type;
    const scalar = type?.kind === "list" ? type.item : type;
    // A field of another kind (or none) gets the strictest treatment: its shape.
    const shown = scalar?.kind === "scalar" ? scalar.shown : "hidden";
    return showStored(shown, stored, { recentFrom });
  };
  return { ...ruleContext, show };
}

function checkFor(options: RecordValidatorOptions): Check {
  const { index } = options;
  const ctx = checkContext(options);
  const name = options.dataset.name;
  if (name === "episodes") return (rec, raw, report) => checkEpisode(rec, raw, ctx, report);
  const checkLinked = name === "proms" ? checkProm : checkAdverseEvent;
  return (rec, raw, report) => {
    const link = resolveLink(rec, index, ctx, report);
    checkLinked(rec, raw, link === "out_of_scope" ? undefined : link, ctx, report);
  };
}

export function createRecordValidator(
  options: RecordValidatorOptions,
): (record: MinimisedRecord) => Validated {
  const parse = compileRecordParser(options);
  const check = checkFor(options);
  return (record) => {
    const findings: Finding[] = [];
    const report: Report = (rule, field, value = null) => {
      findings.push({ rule, field, value });
    };
    const parsed = parse(record, report);
    check(parsed, record.fields, report);
    return { record: parsed, findings };
  };
}
