// One passing and one failing case for every record-level rule id. The passing case is the
// valid base record (which must break no rule at all); each failing case changes one thing.
import { describe, expect, it } from "vitest";
import type { MappedValue } from "../../src/map/compile-mapper.ts";
import type { RuleId } from "../../src/schemas/names.ts";
import { ruleIds } from "../../src/schemas/rule-catalogue.ts";
import { CrossRecordRules } from "../../src/validate/cross-record.ts";
import { patientKey } from "../../src/validate/episode-links.ts";
import { createRecordValidator } from "../../src/validate/record-validator.ts";
import {
  baseEpisode,
  baseEvent,
  baseProm,
  context,
  isoMapping,
  linkIndex,
  PSEUDO_B,
  rulesBroken,
  type ValidateOneOptions,
  v1,
} from "../helpers/records.ts";

type DatasetCase = {
  dataset: "episodes" | "proms" | "adverse_events";
  change: Record<string, MappedValue>;
  options?: ValidateOneOptions;
};

const ep = (change: Record<string, MappedValue>, options?: ValidateOneOptions): DatasetCase => ({
  dataset: "episodes",
  change,
  ...(options ? { options } : {}),
});
const prom = (change: Record<string, MappedValue>, options?: ValidateOneOptions): DatasetCase => ({
  dataset: "proms",
  change,
  ...(options ? { options } : {}),
});
const ae = (change: Record<string, MappedValue>, options?: ValidateOneOptions): DatasetCase => ({
  dataset: "adverse_events",
  change,
  ...(options ? { options } : {}),
});

/** Rules judged across records: tested below with the tracker and end to end on the samples. */
const crossRecord: RuleId[] = ["DUPLICATE_ID", "EP_SPELL_PATIENT_CONFLICT"];

const failing: Record<
  Exclude<RuleId, "DUPLICATE_ID" | "EP_SPELL_PATIENT_CONFLICT">,
  DatasetCase[]
> = {
  REQUIRED: [ep({ site_code: null }), prom({ stage: null }), ae({ unplanned: null })],
  FORMAT: [
    ep({ spell_id: "SP-1!" }),
    ep({ spell_id: "SP-123456789012345678" }),
    prom({
      eq5d_profile: "12",
      instrument: "EQ5D5L",
      score: null,
      procedure_group: "HIP_REPLACEMENT",
    }),
  ],
  ID_LOOKS_LIKE_WORD: [
    ep({ spell_id: "Throckmorton" }),
    ep({ episode_id: "Ravenscroft 2" }),
    prom({ response_id: "PATIENT" }),
    ae({ event_id: "Zénobie" }),
  ],
  CODE_SET: [ep({ sex: "7" }), ep({ admission_method: "28" }), ae({ event_type: "FALL" })],
  DATE_INVALID: [ep({ episode_end_date: "2026-02-30" }), prom({ completed_date: "20-10-2026" })],
  NUMBER_INVALID: [prom({ score: "forty" })],
  LIST_TOO_LONG: [ep({ secondary_diagnoses: Array.from({ length: 20 }, () => "I10") })],
  NHS_NUMBER_INVALID: [ep({ nhs_number: "9434765918" }), ep({ nhs_number: "1111111111" })],
  POSTCODE_INVALID: [ep({ postcode: "QA1 1AA" })],
  ICD10_INVALID: [
    ep({ primary_diagnosis: "1234" }),
    ep({ secondary_diagnoses: ["I10", "hypertension"] }),
  ],
  OPCS4_INVALID: [ep({ primary_procedure: "I12.3" })],
  OPCS4_LOCAL_EXTENSION: [ep({ primary_procedure: "W37.12" })],
  OPCS4_PRIMARY_YZ: [ep({ primary_procedure: "Y53.2" })],
  CONSULTANT_CODE_INVALID: [ep({ consultant_code: "DRSMITH" })],
  CODE_LIST_UNKNOWN: [ep({}, { codeLists: { icd10: new Set(["I10X"]) } })],
  SITE_UNKNOWN: [ep({ site_code: "NQX09" })],
  EP_DATE_ORDER: [ep({ episode_start_date: "2026-10-04" })],
  EP_PROCEDURE_DATE_RANGE: [ep({ primary_procedure_date: "2026-10-09" })],
  EP_PROCEDURE_DATE_PAIR: [
    ep({ primary_procedure_date: null }),
    ep({ secondary_procedures: [{ code: "W38.1", date: null }] }),
  ],
  EP_FUTURE_DATE: [ep({}, { ctx: { ...context, runDate: "2026-10-07" } })],
  EP_AGE_RANGE: [ep({ date_of_birth: "1890-01-01" })],
  EP_DISCHARGE_PERIOD: [
    ep({}, { ctx: { ...context, periodFirst: "2026-09-01", periodLast: "2026-09-30" } }),
  ],
  EP_DEATH_CONSISTENCY: [ep({ discharge_method: "4" }), ep({ discharge_destination: "79" })],
  EP_NHS_STATUS_VERIFIED: [ep({ nhs_number: null })],
  EP_DAY_CASE_LOS: [ep({ patient_classification: "2" })],
  EP_DEFAULT_CONSULTANT: [ep({ consultant_code: "C9999998" })],
  EP_INSURER_MISSING: [ep({ insurer_code: null })],
  EP_NHS_NUMBER_BLANK: [ep({ nhs_number: null, nhs_number_status: "03" })],
  DATE_AFTER_PERIOD: [prom({ completed_date: "2026-11-02" }), ae({ event_date: "2026-11-01" })],
  LINK_UNKNOWN_EPISODE: [prom({ episode_id: "EP-404" }), ae({ episode_id: "EP-404" })],
  LINK_REJECTED_EPISODE: [
    prom({ episode_id: "EP-666" }, { index: linkIndex({ "EP-666": { status: "rejected" } }) }),
    ae({ episode_id: "EP-666" }, { index: linkIndex({ "EP-666": { status: "rejected" } }) }),
  ],
  LINK_EARLIER_EPISODE_NOT_ACCEPTED: [
    prom(
      { episode_id: "EP-2025" },
      { index: linkIndex({ "EP-2025": { status: "earlier_not_accepted" } }) },
    ),
    ae(
      { episode_id: "EP-2025" },
      { index: linkIndex({ "EP-2025": { status: "earlier_not_accepted" } }) },
    ),
  ],
  LINK_PSEUDONYM_MISMATCH: [
    prom({ patient_pseudonym: PSEUDO_B }),
    ae({ patient_pseudonym: PSEUDO_B }),
  ],
  PROM_INSTRUMENT_GROUP: [prom({ instrument: "OKS" })],
  PROM_SCORE_RANGE: [
    prom({ score: "49" }),
    prom({ score: "40.5" }),
    prom({ instrument: "EQ5D5L", eq5d_profile: "11111" }),
  ],
  PROM_SCORE_MISSING: [prom({ score: null })],
  PROM_PROFILE_MISSING: [prom({ instrument: "EQ5D5L", score: null })],
  PROM_STAGE_TIMING: [
    prom({ stage: "PRE" }),
    prom({ stage: "POST", completed_date: "2026-10-06" }),
  ],
  AE_BEFORE_ADMISSION: [ae({ event_date: "2026-10-04" })],
  AE_READMISSION_WINDOW: [
    ae({ event_type: "READMISSION", event_date: "2026-10-08" }),
    ae(
      { event_type: "READMISSION", event_date: "2026-10-31" },
      { index: linkIndex({ "EP-1": { dischargeDate: "2026-09-20" } }) },
    ),
  ],
  AE_TRANSFER_DESTINATION: [ae({ event_type: "TRANSFER_OUT" })],
  AE_TRANSFER_DISCHARGE: [ae({ event_type: "TRANSFER_OUT", transfer_destination_code: "RJ1" })],
  AE_DEATH_DISCHARGE: [ae({ event_type: "DEATH", event_date: "2026-10-08" })],
};

const bases = { episodes: baseEpisode, proms: baseProm, adverse_events: baseEvent };

describe("record rules", () => {
  it("has a failing case for every rule id", () => {
    const covered = new Set<string>([...Object.keys(failing), ...crossRecord]);
    expect(ruleIds.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(["episodes", "proms", "adverse_events"] as const)(
    "the valid base %s record breaks no rule",
    (dataset) => {
      expect(rulesBroken(dataset, bases[dataset]())).toEqual([]);
    },
  );

  for (const [rule, cases] of Object.entries(failing)) {
    it.each(cases.map((c, i) => [i, c] as const))(`${rule}: failing case %i`, (_i, c) => {
      const broken = rulesBroken(c.dataset, { ...bases[c.dataset](), ...c.change }, c.options);
      expect(broken).toContain(rule);
    });
  }

  it("a field that failed its own check causes no cascading rule", () => {
    // An impossible admission date is DATE_INVALID only, not also EP_DATE_ORDER or EP_AGE_RANGE.
    expect(rulesBroken("episodes", { ...baseEpisode(), admission_date: "2026-10-32" })).toEqual([
      "DATE_INVALID",
    ]);
  });

  it("a date of birth after the run date is reported with its year only", () => {
    const def = v1.episodes;
    const validate = createRecordValidator({
      dataset: def,
      mapping: isoMapping(def),
      codeLists: {},
      sites: ["NQX01"],
      ruleContext: context,
      index: linkIndex(),
    });
    const { findings } = validate({
      fields: { ...baseEpisode(), date_of_birth: "2027-03-04" },
      reduced: null,
    });
    const future = findings.find((f) => f.rule === "EP_FUTURE_DATE");
    expect(future).toMatchObject({ field: "date_of_birth", value: "2027" });
  });

  it("an invalid NHS number with status 01 is NHS_NUMBER_INVALID only", () => {
    expect(rulesBroken("episodes", { ...baseEpisode(), nhs_number: "9434765918" })).toEqual([
      "NHS_NUMBER_INVALID",
    ]);
  });
});

describe("rules across records", () => {
  const a = "a".repeat(64);
  const b = "b".repeat(64);
  const judged = (sightings: [string, string | undefined, string | null, number, boolean][]) => {
    const t = new CrossRecordRules();
    let rows = 0;
    for (const [id, spell, pseudonym, line, accepted] of sightings)
      t.see({
        line,
        id,
        row: accepted ? rows++ : null,
        spell,
        patient: pseudonym === null ? null : patientKey(pseudonym),
      });
    return t.judge();
  };

  it("DUPLICATE_ID: every copy of an id seen twice, in reading order", () => {
    expect(
      judged([
        ["EP-1", undefined, a, 2, true],
        ["EP-2", undefined, a, 3, true],
        ["EP-3", undefined, a, 5, false],
        ["EP-1", undefined, b, 7, false],
        ["EP-3", undefined, b, 9, true],
        ["EP-1", undefined, b, 11, true],
      ]),
    ).toEqual([
      { line: 2, id: "EP-1", row: 0, duplicate: true, spellConflict: false },
      { line: 5, id: "EP-3", row: null, duplicate: true, spellConflict: false },
      { line: 7, id: "EP-1", row: null, duplicate: true, spellConflict: false },
      { line: 9, id: "EP-3", row: 2, duplicate: true, spellConflict: false },
      { line: 11, id: "EP-1", row: 3, duplicate: true, spellConflict: false },
    ]);
  });

  it("EP_SPELL_PATIENT_CONFLICT: every episode of a spell with two patients, even one without a pseudonym", () => {
    expect(
      judged([
        ["EP-1", "SP-1", a, 2, true],
        ["EP-2", "SP-1", a, 3, true],
        ["EP-3", "SP-2", a, 4, true],
        ["EP-4", "SP-2", null, 5, false],
        ["EP-5", "SP-2", b, 6, true],
        ["EP-6", "SP-3", null, 7, true],
        ["EP-5", "SP-2", a, 8, true],
      ]).map((f) => [f.line, f.id, f.duplicate, f.spellConflict]),
    ).toEqual([
      [4, "EP-3", false, true],
      [5, "EP-4", false, true],
      [6, "EP-5", true, true],
      [8, "EP-5", true, true],
    ]);
  });

  it("a spell whose first episodes have no pseudonym takes its patient from the first that has one", () => {
    expect(
      judged([
        ["EP-1", "SP-1", null, 2, true],
        ["EP-2", "SP-1", a, 3, true],
        ["EP-3", "SP-1", a, 4, true],
      ]),
    ).toEqual([]);
    expect(
      judged([
        ["EP-1", "SP-1", null, 2, true],
        ["EP-2", "SP-1", a, 3, true],
        ["EP-3", "SP-1", b, 4, true],
      ]).map((f) => f.id),
    ).toEqual(["EP-1", "EP-2", "EP-3"]);
  });

  it("stays exact at scale: 200,000 ids with three duplicates", () => {
    const sightings: [string, string | undefined, string | null, number, boolean][] = [];
    for (let i = 0; i < 200_000; i++) sightings.push([`E${i}`, `S${i >> 1}`, a, i + 2, true]);
    sightings.push(["E17", "S8", a, 200_002, true]);
    sightings.push(["E199999", undefined, a, 200_003, false]);
    sightings.push(["E123456", "S61728", b, 200_004, true]);
    expect(judged(sightings).map((f) => [f.line, f.id, f.duplicate, f.spellConflict])).toEqual([
      [19, "E17", true, false],
      [123_458, "E123456", true, true],
      [123_459, "E123457", false, true],
      [200_001, "E199999", true, false],
      [200_002, "E17", true, false],
      [200_003, "E199999", true, false],
      [200_004, "E123456", true, true],
    ]);
  });
});
