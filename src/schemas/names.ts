// The names the stages share about validation: datasets, rule ids and severities. Types and
// ids only: the catalogue (validate/rule-catalogue.ts) gives each rule its severity and advice,
// and TypeScript holds the two in step. An id never changes meaning once released.

export type DatasetName = "episodes" | "proms" | "adverse_events";

/** E rejects the record; W is reported only. */
export type Severity = "E" | "W";

export const ruleIds = [
  "REQUIRED",
  "FORMAT",
  "CODE_SET",
  "DATE_INVALID",
  "NUMBER_INVALID",
  "LIST_TOO_LONG",
  "NHS_NUMBER_INVALID",
  "POSTCODE_INVALID",
  "ICD10_INVALID",
  "OPCS4_INVALID",
  "OPCS4_LOCAL_EXTENSION",
  "OPCS4_PRIMARY_YZ",
  "CONSULTANT_CODE_INVALID",
  "CODE_LIST_UNKNOWN",
  "SITE_UNKNOWN",
  "EP_DATE_ORDER",
  "EP_PROCEDURE_DATE_RANGE",
  "EP_PROCEDURE_DATE_PAIR",
  "EP_FUTURE_DATE",
  "EP_AGE_RANGE",
  "EP_DISCHARGE_PERIOD",
  "EP_DEATH_CONSISTENCY",
  "EP_NHS_STATUS_VERIFIED",
  "EP_DAY_CASE_LOS",
  "EP_DEFAULT_CONSULTANT",
  "EP_INSURER_MISSING",
  "EP_NHS_NUMBER_BLANK",
  "EP_SPELL_PATIENT_CONFLICT",
  "DUPLICATE_ID",
  "DATE_AFTER_PERIOD",
  "LINK_UNKNOWN_EPISODE",
  "LINK_REJECTED_EPISODE",
  "LINK_PSEUDONYM_MISMATCH",
  "PROM_INSTRUMENT_GROUP",
  "PROM_SCORE_RANGE",
  "PROM_SCORE_MISSING",
  "PROM_PROFILE_MISSING",
  "PROM_STAGE_TIMING",
  "AE_BEFORE_ADMISSION",
  "AE_READMISSION_WINDOW",
  "AE_TRANSFER_DESTINATION",
  "AE_TRANSFER_DISCHARGE",
  "AE_DEATH_DISCHARGE",
] as const;

export type RuleId = (typeof ruleIds)[number];
