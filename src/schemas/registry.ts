// Schema versions the pipeline can write. A v2 is added here beside v1; stages take the
// definitions as data and never import a version directly.

import type { DatasetDef } from "./dataset.ts";
import type { DatasetName } from "./names.ts";
import { adverseEventsV1 } from "./v1/adverse-events.ts";
import { episodesV1 } from "./v1/episodes.ts";
import { promsV1 } from "./v1/proms.ts";

export const datasetOrder: readonly DatasetName[] = ["episodes", "proms", "adverse_events"];

export const schemaVersions: Readonly<Record<number, Readonly<Record<DatasetName, DatasetDef>>>> = {
  1: { episodes: episodesV1, proms: promsV1, adverse_events: adverseEventsV1 },
};

export const CURRENT_SCHEMA_VERSION = 1;
