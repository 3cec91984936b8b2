// Builders for records at the validate stage: a mapping stub with ISO dates, a valid base
// record per dataset, and a validator that returns the rule ids a record breaks.

import type { MappedValue } from "../../src/map/compile-mapper.ts";
import type { LoadedMapping } from "../../src/map/load-mapping.ts";
import type { DatasetDef } from "../../src/schemas/dataset.ts";
import type { DatasetName, RuleId } from "../../src/schemas/names.ts";
import { schemaVersions } from "../../src/schemas/registry.ts";
import type { CodeLists } from "../../src/validate/code-lists.ts";
import {
  EpisodeIndex,
  type EpisodeLink,
  type EpisodeLinks,
  outOfScopeLink,
  patientKey,
} from "../../src/validate/episode-links.ts";
import { createRecordValidator } from "../../src/validate/record-validator.ts";
import type { RuleContext } from "../../src/validate/rules/context.ts";

export const v1 = schemaVersions[1] as Record<DatasetName, DatasetDef>;

export function isoMapping(dataset: DatasetDef): LoadedMapping {
  return {
    file: "test-mapping.json",
    dataset,
    source: { format: "csv", encoding: "utf-8", delimiter: ",", quote: '"', header: true },
    rules: [],
    lookups: new Map(),
    objection: undefined,
  };
}

export const PSEUDO_A = "a".repeat(64);
export const PSEUDO_B = "b".repeat(64);

export const context: RuleContext = {
  periodFirst: "2026-10-01",
  periodLast: "2026-10-31",
  runDate: "2026-11-24",
};

export function baseEpisode(): Record<string, MappedValue> {
  return {
    provider_code: "NQX",
    site_code: "NQX01",
    spell_id: "SP-1",
    episode_id: "EP-1",
    patient_pseudonym: PSEUDO_A,
    nhs_number: "9434765919",
    nhs_number_status: "01",
    date_of_birth: "1960-05-17",
    age_at_admission: null,
    sex: "2",
    postcode: "SW1A 1AA",
    ethnic_category: "A",
    administrative_category: "02",
    funding_source: "INSURED",
    insurer_code: "BUPA",
    admission_date: "2026-10-05",
    admission_method: "11",
    source_of_admission: "19",
    patient_classification: "1",
    episode_start_date: "2026-10-05",
    episode_end_date: "2026-10-08",
    discharge_date: "2026-10-08",
    discharge_method: "1",
    discharge_destination: "19",
    consultant_code: "C1234567",
    treatment_function_code: "110",
    primary_diagnosis: "M16.1",
    secondary_diagnoses: ["I10"],
    primary_procedure: "W37.1",
    primary_procedure_date: "2026-10-06",
    secondary_procedures: [{ code: "Y53.2", date: "2026-10-06" }],
  };
}

export function baseProm(): Record<string, MappedValue> {
  return {
    provider_code: "NQX",
    site_code: "NQX01",
    response_id: "R-1",
    episode_id: "EP-1",
    patient_pseudonym: PSEUDO_A,
    procedure_group: "HIP_REPLACEMENT",
    instrument: "OHS",
    stage: "POST",
    completed_date: "2026-10-20",
    score: "40",
    eq5d_profile: null,
  };
}

export function baseEvent(): Record<string, MappedValue> {
  return {
    provider_code: "NQX",
    site_code: "NQX01",
    event_id: "AE-1",
    episode_id: "EP-1",
    patient_pseudonym: PSEUDO_A,
    event_type: "RETURN_TO_THEATRE",
    event_date: "2026-10-07",
    unplanned: "Y",
    transfer_destination_code: null,
    harm_level: "2",
  };
}

/** The index PROMs and events link against: EP-1 as in baseEpisode, plus special cases. */
export function linkIndex(extra: Record<string, Partial<EpisodeLink>> = {}): EpisodeLinks {
  const index = new EpisodeIndex();
  const ep1: EpisodeLink = {
    status: "accepted",
    patient: patientKey(PSEUDO_A),
    admissionDate: "2026-10-05",
    dischargeDate: "2026-10-08",
    primaryProcedureDate: "2026-10-06",
    dischargeMethod: "1",
    dischargeDestination: "19",
  };
  const episodes: Record<string, Partial<EpisodeLink>> = { "EP-1": {}, ...extra };
  for (const [id, link] of Object.entries(episodes)) {
    const merged = { ...ep1, ...link };
    index.add(id, merged.status === "out_of_scope" ? outOfScopeLink : merged);
  }
  return index;
}

export interface ValidateOneOptions {
  readonly codeLists?: CodeLists;
  readonly ctx?: RuleContext;
  readonly index?: EpisodeLinks;
}

/** Rule ids (in order) a record breaks. */
export function rulesBroken(
  dataset: DatasetName,
  fields: Record<string, MappedValue>,
  options: ValidateOneOptions = {},
): RuleId[] {
  const def = v1[dataset];
  const validate = createRecordValidator({
    dataset: def,
    mapping: isoMapping(def),
    codeLists: options.codeLists ?? {},
    sites: ["NQX01", "NQX02"],
    ruleContext: options.ctx ?? context,
    index: options.index ?? linkIndex(),
  });
  return validate({ fields, reduced: null }).findings.map((f) => f.rule);
}
