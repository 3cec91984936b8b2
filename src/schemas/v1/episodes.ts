// Dataset `episodes`, schema v1: one row per finished consultant episode (docs/datasets.md).
import type { z } from "zod";
import { defineDataset } from "../dataset.ts";
import {
  codeSet,
  consultantCode,
  date,
  derivedInteger,
  icd10,
  list,
  nhsNumber,
  opcs4,
  pattern,
  postcode,
  procedures,
  pseudonym,
} from "../field-types.ts";
import * as codes from "./code-sets.ts";
import { localId, odsOrg, odsSite } from "./common.ts";

export const episodesV1 = defineDataset({
  name: "episodes",
  version: 1,
  idField: "episode_id",
  fields: {
    provider_code: { status: "M", type: odsOrg },
    site_code: { status: "M", type: odsSite },
    spell_id: { status: "M", type: localId },
    episode_id: { status: "M", type: localId },
    patient_pseudonym: { status: "M", type: pseudonym },
    nhs_number: { status: "R", type: nhsNumber },
    nhs_number_status: { status: "M", type: codeSet(codes.nhsNumberStatus, "NHS number status") },
    date_of_birth: { status: "M", type: date("date_of_birth") },
    age_at_admission: {
      status: "D",
      type: derivedInteger("age in completed years at admission", 0, 120),
    },
    sex: { status: "M", type: codeSet(codes.sex, "person stated gender") },
    postcode: { status: "R", type: postcode },
    ethnic_category: { status: "O", type: codeSet(codes.ethnicCategory, "ethnic category") },
    administrative_category: {
      status: "M",
      type: codeSet(codes.administrativeCategory, "administrative category"),
    },
    funding_source: { status: "M", type: codeSet(codes.fundingSource, "funding source") },
    insurer_code: {
      status: "O",
      // Insurer codes are words (BUPA, AVIVA): only the configured list tells one from a name.
      type: pattern(/^[A-Z0-9]{2,10}$/, "insurer code", {
        upper: true,
        shown: "code",
        codeList: "insurer",
      }),
    },
    admission_date: { status: "M", type: date() },
    admission_method: { status: "M", type: codeSet(codes.admissionMethod, "admission method") },
    source_of_admission: {
      status: "M",
      type: codeSet(codes.sourceOfAdmission, "source of admission"),
    },
    patient_classification: {
      status: "M",
      type: codeSet(codes.patientClassification, "patient classification"),
    },
    episode_start_date: { status: "M", type: date() },
    episode_end_date: { status: "M", type: date() },
    discharge_date: { status: "M", type: date() },
    discharge_method: { status: "M", type: codeSet(codes.dischargeMethod, "discharge method") },
    discharge_destination: {
      status: "M",
      type: codeSet(codes.dischargeDestination, "discharge destination"),
    },
    consultant_code: { status: "M", type: consultantCode },
    treatment_function_code: {
      status: "M",
      type: pattern(/^[0-9]{3}$/, "treatment function code"),
    },
    primary_diagnosis: { status: "M", type: icd10 },
    secondary_diagnoses: { status: "O", type: list(icd10, 19, "secondary_diagnosis") },
    primary_procedure: { status: "R", type: opcs4("primary") },
    primary_procedure_date: { status: "R", type: date() },
    secondary_procedures: { status: "O", type: procedures(23, "secondary_procedure") },
  },
});

export const $EpisodeV1 = episodesV1.schema;
export type EpisodeV1 = z.infer<typeof $EpisodeV1>;
