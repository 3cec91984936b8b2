// The blocking verdict: a dataset whose rejected share is above the threshold blocks the month,
// and the threshold is 5 % unless the config says otherwise.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load-config.ts";
import type { DatasetOutcome } from "../../src/pipeline/dataset-pass.ts";
import { decideVerdict, type Outcomes } from "../../src/pipeline/verdict.ts";
import type { DatasetName } from "../../src/schemas/names.ts";
import { repoRoot, tempDir } from "../helpers/cli.ts";

function outcome(dataset: DatasetName, valid: number, rejected: number): DatasetOutcome {
  return {
    dataset,
    file: `${dataset}.csv`,
    counts: { read: valid + rejected + 3, valid, rejected, out_of_scope: 3, warnings: 0 },
    filled: {},
    droppedColumns: [],
    nhsBlankBySite: {},
    reductions: {} as DatasetOutcome["reductions"],
    linkedFromEarlier: 0,
    error: null,
    accepted: null,
  };
}

const month = (episodes: [number, number]): Outcomes => ({
  episodes: outcome("episodes", ...episodes),
  proms: outcome("proms", 100, 0),
  adverse_events: outcome("adverse_events", 100, 0),
});

describe("decideVerdict", () => {
  it("blocks a dataset just above 5 % rejected, naming it and its share", () => {
    const verdict = decideVerdict(month([94, 6]), 0.05);
    expect(verdict.verdict).toBe("blocked");
    expect(verdict.blockedReasons).toEqual([
      "episodes: 6 of 100 records rejected (6.0 %), above the 5.0 % threshold",
    ]);
  });

  it("lets a dataset at exactly the threshold through, and one below it", () => {
    expect(decideVerdict(month([95, 5]), 0.05).verdict).toBe("ready");
    expect(decideVerdict(month([96, 4]), 0.05).verdict).toBe("ready");
  });

  it("counts only in-scope records (out of scope is neither)", () => {
    // 6 of 100 in scope, whatever the out-of-scope rows add to what was read.
    expect(decideVerdict(month([94, 6]), 0.059).verdict).toBe("blocked");
    expect(decideVerdict(month([94, 6]), 0.06).verdict).toBe("ready");
  });
});

describe("the default threshold", () => {
  it("is 5 % when the config does not set one", async () => {
    const file = path.join(tempDir("verdict"), "phin.config.json");
    const samples = path.join(repoRoot, "samples");
    const dataset = (name: string) => ({
      mapping: path.join(repoRoot, `mappings/medipas/${name}.json`),
      source: { path: path.join(samples, `pas-csv/{period}/${name}.csv`) },
    });
    writeFileSync(
      file,
      JSON.stringify({
        provider_code: "NQX",
        sites: ["NQX01"],
        state_dir: "state",
        pseudonymisation: { key_file: path.join(samples, "keys/pseudonym.key") },
        datasets: {
          episodes: dataset("episodes"),
          proms: dataset("proms"),
          adverse_events: dataset("adverse_events"),
        },
      }),
    );
    const loaded = await loadConfig(file, {});
    expect(loaded.config.thresholds.max_rejected_share).toBe(0.05);
  });
});
