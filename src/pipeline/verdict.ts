// The run's verdict from its dataset outcomes: blocked by any file-level error, any dataset that
// could not be checked, or any dataset whose rejected share is above the threshold.

import type { DatasetName } from "../schemas/names.ts";
import { datasetOrder } from "../schemas/registry.ts";
import type { DatasetOutcome } from "./dataset-pass.ts";

export interface SkippedDataset {
  readonly skipped: string;
  readonly file: string;
}

export type Outcomes = Readonly<Record<DatasetName, DatasetOutcome | SkippedDataset>>;

export interface Verdict {
  readonly verdict: "ready" | "blocked";
  readonly blockedReasons: readonly string[];
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export function decideVerdict(outcomes: Outcomes, maxRejectedShare: number): Verdict {
  const reasons: string[] = [];
  // The message already names the file and line; the code tells the catalogue entry.
  for (const name of datasetOrder) {
    const o = outcomes[name];
    if (!("skipped" in o) && o.error !== null)
      reasons.push(`${name}: ${o.error.code}: ${o.error.message}`);
  }
  for (const name of datasetOrder) {
    const o = outcomes[name];
    if ("skipped" in o) {
      reasons.push(`${name}: not checked (${o.skipped})`);
      continue;
    }
    if (o.error !== null) continue;
    const inScope = o.counts.valid + o.counts.rejected;
    const share = inScope === 0 ? 0 : o.counts.rejected / inScope;
    if (share > maxRejectedShare) {
      reasons.push(
        `${name}: ${o.counts.rejected} of ${inScope} records rejected (${percent(share)}), above the ${percent(maxRejectedShare)} threshold`,
      );
    }
  }
  return { verdict: reasons.length === 0 ? "ready" : "blocked", blockedReasons: reasons };
}
