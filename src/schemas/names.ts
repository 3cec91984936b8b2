// The names the stages share about validation: datasets, rule ids and severities. Types only,
// so any stage can name them without depending on another; the rule ids are the keys of the
// catalogue beside this file. An id never changes meaning once released.
import type { rules } from "./rule-catalogue.ts";

export type DatasetName = "episodes" | "proms" | "adverse_events";

/** E rejects the record; W is reported only. */
export type Severity = "E" | "W";

export type RuleId = keyof typeof rules;
