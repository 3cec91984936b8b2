// The benchmark works end to end at a small size: generation, every measurement and the JSON
// fields the performance floor is judged by. (Its figures are read by people, not checked here.)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers/cli.ts";

it("npm run bench -- --json prints one object with the floor's fields", () => {
  const run = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, "scripts/bench.ts"),
      "--rows",
      "3000",
      "--json",
      "--dir",
      tempDir("bench"),
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(run.status, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  for (const field of [
    "csv_parse_objects_rows_per_s",
    "full_episodes_per_s",
    "ratio_full_to_parse",
    "peak_rss_mb",
    "xml_records_per_s",
    "xml_peak_rss_mb",
  ]) {
    expect(result[field], field).toBeGreaterThan(0);
  }
  expect(result.episodes).toBe(3000);
  const floor = result.floor as Record<string, { ok: boolean | null }>;
  expect(Object.keys(floor).sort()).toEqual([
    "peak_rss_mb",
    "ratio_full_to_parse",
    "xml_records_per_s",
  ]);
  for (const check of Object.values(floor)) expect(typeof check.ok).toBe("boolean");
}, 120_000);
