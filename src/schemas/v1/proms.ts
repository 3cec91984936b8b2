// Dataset `proms`, schema v1: one row per completed questionnaire (docs/datasets.md).
import type { z } from "zod";
import { defineDataset } from "../dataset.ts";
import { codeSet, date, decimal, pattern, pseudonym } from "../field-types.ts";
import * as codes from "./code-sets.ts";
import { localId, odsOrg, odsSite } from "./common.ts";

export const promsV1 = defineDataset({
  name: "proms",
  version: 1,
  idField: "response_id",
  fields: {
    provider_code: { status: "M", type: odsOrg },
    site_code: { status: "M", type: odsSite },
    response_id: { status: "M", type: localId },
    episode_id: { status: "M", type: localId },
    patient_pseudonym: { status: "M", type: pseudonym },
    procedure_group: { status: "M", type: codeSet(codes.procedureGroup, "procedure group") },
    instrument: { status: "M", type: codeSet(codes.instrument, "instrument") },
    stage: { status: "M", type: codeSet(codes.promStage, "stage") },
    completed_date: { status: "M", type: date() },
    score: { status: "R", type: decimal("score; range depends on the instrument") },
    eq5d_profile: { status: "R", type: pattern(/^[1-5]{5}$/, "EQ-5D-5L profile, five digits 1-5") },
  },
});

export const $PromV1 = promsV1.schema;
export type PromV1 = z.infer<typeof $PromV1>;
