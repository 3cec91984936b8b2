// Every validation rule phin-submit applies, with its stable id, severity and the advice the
// report gives analysts. Ids never change meaning once released; new rules get new ids.
// Severity E rejects the record, W is reported only.
import type { DatasetName, RuleId, Severity } from "./names.ts";

export interface RuleInfo {
  readonly severity: Severity;
  /** Datasets the rule can fire on. */
  readonly datasets: readonly DatasetName[];
  readonly title: string;
  /** What to change in the source system, shown in the report. */
  readonly fix: string;
}

const all: readonly DatasetName[] = ["episodes", "proms", "adverse_events"];
const linked: readonly DatasetName[] = ["proms", "adverse_events"];
const ep: readonly DatasetName[] = ["episodes"];

export const rules = {
  // Field rules: any dataset, the issue names the field.
  REQUIRED: {
    severity: "E",
    datasets: all,
    title: "Mandatory field is blank",
    fix: "Fill the field in the source system, or map it from the column that holds it.",
  },
  FORMAT: {
    severity: "E",
    datasets: all,
    title: "Value has the wrong format",
    fix: "Correct the value to the documented format (see docs/datasets.md for the pattern).",
  },
  CODE_SET: {
    severity: "E",
    datasets: all,
    title: "Value is not in the code set",
    fix: "Use a national code, or add the local code to the mapping's value map.",
  },
  ID_LOOKS_LIKE_WORD: {
    severity: "E",
    datasets: all,
    title: "Record id looks like a word or a name",
    fix: "Map the id from the source system's record number, never from a name or other text: an id holds a digit and no spaces.",
  },
  DATE_INVALID: {
    severity: "E",
    datasets: all,
    title: "Date is unreadable or impossible",
    fix: "Correct the date; check the mapping's date format matches the extract.",
  },
  NUMBER_INVALID: {
    severity: "E",
    datasets: all,
    title: "Number is unreadable",
    fix: "Send a plain decimal number (digits, optional sign and decimal point).",
  },
  LIST_TOO_LONG: {
    severity: "E",
    datasets: ep,
    title: "Too many repeated codes",
    fix: "Send at most 19 secondary diagnoses and 23 secondary procedures.",
  },
  NHS_NUMBER_INVALID: {
    severity: "E",
    datasets: ep,
    title: "NHS number fails the check digit",
    fix: "Correct the NHS number from the patient's record (PDS), or leave it blank with a status other than 01.",
  },
  POSTCODE_INVALID: {
    severity: "E",
    datasets: ep,
    title: "Postcode is not a valid UK postcode",
    fix: "Correct the postcode; use ZZ99 3VZ (no fixed abode) or ZZ99 3WZ (not known) when there is none.",
  },
  ICD10_INVALID: {
    severity: "E",
    datasets: ep,
    title: "Diagnosis is not an ICD-10 code",
    fix: "Record the diagnosis as an ICD-10 code (e.g. K35.1), not free text or a local code.",
  },
  OPCS4_INVALID: {
    severity: "E",
    datasets: ep,
    title: "Procedure is not an OPCS-4 code",
    fix: "Record the procedure as an OPCS-4.10 code (e.g. W37.1).",
  },
  OPCS4_LOCAL_EXTENSION: {
    severity: "W",
    datasets: ep,
    title: "Local 5th character removed from OPCS-4 code",
    fix: "Nothing is lost for PHIN; remove the local extension in the export to silence this.",
  },
  OPCS4_PRIMARY_YZ: {
    severity: "E",
    datasets: ep,
    title: "Y or Z chapter code used as primary procedure",
    fix: "Put the main procedure first; Y and Z codes only qualify another procedure.",
  },
  CONSULTANT_CODE_INVALID: {
    severity: "E",
    datasets: ep,
    title: "Consultant code is not a GMC code",
    fix: "Use C + the 7-digit GMC number, a default code, or add the local id to the consultant lookup.",
  },
  CODE_LIST_UNKNOWN: {
    severity: "E",
    datasets: all,
    title: "Code not found in the configured code list",
    fix: "Check the code against the current reference list, or update the list file.",
  },
  SITE_UNKNOWN: {
    severity: "E",
    datasets: all,
    title: "Site is not one of the provider's configured sites",
    fix: "Map the local site to one of the configured ODS site codes, or add the site to the config.",
  },

  // Episodes: rules across fields.
  EP_DATE_ORDER: {
    severity: "E",
    datasets: ep,
    title: "Episode dates out of order",
    fix: "Dates must run birth <= admission <= episode start <= episode end <= discharge.",
  },
  EP_PROCEDURE_DATE_RANGE: {
    severity: "E",
    datasets: ep,
    title: "Procedure date outside the episode",
    fix: "Procedure dates must lie between episode start and episode end.",
  },
  EP_PROCEDURE_DATE_PAIR: {
    severity: "E",
    datasets: ep,
    title: "Procedure and procedure date not paired",
    fix: "Every procedure needs its date, and a date needs its procedure.",
  },
  EP_FUTURE_DATE: {
    severity: "E",
    datasets: ep,
    title: "Date after the run date",
    fix: "Correct the date: no episode date can be in the future.",
  },
  EP_AGE_RANGE: {
    severity: "E",
    datasets: ep,
    title: "Age at admission outside 0..120",
    fix: "Check the date of birth and the admission date.",
  },
  EP_DISCHARGE_PERIOD: {
    severity: "E",
    datasets: ep,
    title: "Discharge date outside the submission period",
    fix: "Episodes belong to the month of their discharge date: check the extract's date filter.",
  },
  EP_DEATH_CONSISTENCY: {
    severity: "E",
    datasets: ep,
    title: "Discharge method and destination disagree about death",
    fix: "Discharge method 4 (died) goes with destination 79, and only with it.",
  },
  EP_NHS_STATUS_VERIFIED: {
    severity: "E",
    datasets: ep,
    title: "NHS number status 01 without a valid NHS number",
    fix: "Status 01 means present and verified: send the NHS number or correct the status.",
  },
  EP_DAY_CASE_LOS: {
    severity: "W",
    datasets: ep,
    title: "Day case not discharged on the admission day",
    fix: "Check the patient classification (2 = day case) and the discharge date.",
  },
  EP_DEFAULT_CONSULTANT: {
    severity: "W",
    datasets: ep,
    title: "Default consultant code on an episode with a procedure",
    fix: "Record the operating consultant's GMC code so consultant-level measures can be published.",
  },
  EP_INSURER_MISSING: {
    severity: "W",
    datasets: ep,
    title: "Insured episode without insurer code",
    fix: "Record the insurer for insured episodes.",
  },
  EP_NHS_NUMBER_BLANK: {
    severity: "W",
    datasets: ep,
    title: "NHS number blank",
    fix: "Trace the NHS number (PDS); PHIN relies on it to link outcomes.",
  },
  EP_SPELL_PATIENT_CONFLICT: {
    severity: "E",
    datasets: ep,
    title: "Spell shared by different patients",
    fix: "All episodes of one spell must belong to one patient: check spell numbers and patient ids.",
  },

  // Rules across records shared by the datasets.
  DUPLICATE_ID: {
    severity: "E",
    datasets: all,
    title: "Record id appears more than once",
    fix: "Each episode, response and event id must be unique; every copy is rejected until fixed.",
  },
  DATE_AFTER_PERIOD: {
    severity: "E",
    datasets: linked,
    title: "Date after the end of the period",
    fix: "Send this record in the month it belongs to.",
  },
  LINK_UNKNOWN_EPISODE: {
    severity: "E",
    datasets: linked,
    title: "Linked episode not found",
    fix: "The episode must be in this submission or an earlier accepted one: check the episode id.",
  },
  LINK_REJECTED_EPISODE: {
    severity: "E",
    datasets: linked,
    title: "Linked episode was rejected",
    fix: "Fix the linked episode's own errors first; this record is then accepted with it.",
  },
  LINK_EARLIER_EPISODE_NOT_ACCEPTED: {
    severity: "E",
    datasets: linked,
    title: "Linked episode of an earlier month is not held by PHIN",
    fix: "The episode was rejected in the month it was sent (or that month was rejected or resubmitted without it): correct it and resubmit that month, then this record.",
  },
  LINK_PSEUDONYM_MISMATCH: {
    severity: "E",
    datasets: linked,
    title: "Patient differs from the linked episode's patient",
    fix: "The record's patient id must be the same as on the episode it links to.",
  },

  // PROMs.
  PROM_INSTRUMENT_GROUP: {
    severity: "E",
    datasets: ["proms"],
    title: "Instrument not used for this procedure group",
    fix: "Check the questionnaire type against the procedure group (e.g. OHS only for hips).",
  },
  PROM_SCORE_RANGE: {
    severity: "E",
    datasets: ["proms"],
    title: "Score outside the instrument's range",
    fix: "Check the score; EQ5D5L takes a profile, not a score.",
  },
  PROM_SCORE_MISSING: {
    severity: "E",
    datasets: ["proms"],
    title: "Score missing",
    fix: "Every instrument except EQ5D5L needs a score.",
  },
  PROM_PROFILE_MISSING: {
    severity: "E",
    datasets: ["proms"],
    title: "EQ-5D-5L profile missing",
    fix: "EQ5D5L responses need the five-digit profile (e.g. 11213).",
  },
  PROM_STAGE_TIMING: {
    severity: "E",
    datasets: ["proms"],
    title: "Questionnaire stage disagrees with the procedure date",
    fix: "PRE must be completed on or before the procedure date, POST after it.",
  },

  // Adverse events.
  AE_BEFORE_ADMISSION: {
    severity: "E",
    datasets: ["adverse_events"],
    title: "Event before the episode's admission",
    fix: "Check the event date and the linked episode.",
  },
  AE_READMISSION_WINDOW: {
    severity: "E",
    datasets: ["adverse_events"],
    title: "Readmission not within 30 days after discharge",
    fix: "A readmission is after the index discharge and within 30 days of it.",
  },
  AE_TRANSFER_DESTINATION: {
    severity: "E",
    datasets: ["adverse_events"],
    title: "Transfer out without destination",
    fix: "Record the ODS code of the receiving provider.",
  },
  AE_TRANSFER_DISCHARGE: {
    severity: "W",
    datasets: ["adverse_events"],
    title: "Transfer out but episode not discharged to a hospital",
    fix: "Check the episode's discharge destination (49-53 or 87 for a transfer).",
  },
  AE_DEATH_DISCHARGE: {
    severity: "W",
    datasets: ["adverse_events"],
    title: "Death on the discharge day but episode not ended by death",
    fix: "Check the episode's discharge method (4 = died) and destination (79).",
  },
} as const satisfies Record<string, RuleInfo>;

export const ruleIds = Object.keys(rules) as RuleId[];
