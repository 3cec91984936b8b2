// The benchmark itself works end to end at a small size: generation, every measurement, and the
// JSON fields the performance issue asks for. (Its figures are checked by reading them, not here.)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers/cli.ts";

it("npm run bench -- --json prints one object with the asked fields", () => {
  const run = spawnSync(
    process.execPath,
    [
      path.join(repoRoot, "scripts/bench.ts"),
      "--rows",
      "3000",
      "--no-scaling",
      "--json",
      "--dir",
      tempDir("bench"),
    ],
    { encoding: "utf8", timeout: 120_000 },
  );
  expect(run.status).toBe(0);
  const result = JSON.parse(run.stdout) as Record<string, unknown>;
  for (const field of [
    "full_episodes_per_s",
    "parse_only_rows_per_s",
    "csv_parse_objects_rows_per_s",
    "ratio_full_to_parse",
    "peak_rss_mb",
    "key_set_bytes_per_episode",
    "key_set_scratch_bytes_per_episode",
    "xml_records_per_s",
    "xml_peak_rss_mb",
  ]) {
    expect(result[field], field).toBeGreaterThan(0);
  }
  expect(result.episodes).toBe(3000);
  // The key sets live in scratch files: what stays in memory is a few bytes per episode.
  expect(result.key_set_bytes_per_episode).toBeLessThan(16);
  expect(result).toHaveProperty("rss_ratio_3m_to_1m", null);
  // Each pass's own rate, read from the run's log.
  const passes = result.full_pass_records_per_s as Record<string, number>;
  expect(Object.keys(passes).sort()).toEqual(["adverse_events", "episodes", "proms"]);
  for (const rate of Object.values(passes)) expect(rate).toBeGreaterThan(0);
}, 120_000);
