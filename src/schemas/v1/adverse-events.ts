// Dataset `adverse_events`, schema v1: one row per event (docs/datasets.md). Free-text incident
// descriptions have no field here, on purpose: they can never leave.
import type { z } from "zod";
import { defineDataset } from "../dataset.ts";
import { codeSet, date, pseudonym } from "../field-types.ts";
import * as codes from "./code-sets.ts";
import { localId, odsOrg, odsSite } from "./common.ts";

export const adverseEventsV1 = defineDataset({
  name: "adverse_events",
  version: 1,
  idField: "event_id",
  fields: {
    provider_code: { status: "M", type: odsOrg },
    site_code: { status: "M", type: odsSite },
    event_id: { status: "M", type: localId },
    episode_id: { status: "M", type: localId },
    patient_pseudonym: { status: "M", type: pseudonym },
    event_type: { status: "M", type: codeSet(codes.eventType, "event type") },
    event_date: { status: "M", type: date() },
    unplanned: { status: "M", type: codeSet(codes.yesNo, "unplanned") },
    transfer_destination_code: { status: "R", type: odsOrg },
    harm_level: { status: "O", type: codeSet(codes.harmLevel, "harm level") },
  },
});

export const $AdverseEventV1 = adverseEventsV1.schema;
export type AdverseEventV1 = z.infer<typeof $AdverseEventV1>;
