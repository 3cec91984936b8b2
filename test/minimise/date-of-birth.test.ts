// minimise.date_of_birth: the bundle holds the date of birth at the configured precision, and the
// age at admission is the one computed from the full date.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.ts";

const samples = path.join(repoRoot, "samples");
const written: string[] = [];
afterAll(() => {
  for (const file of written) rmSync(file, { force: true });
});

/** The episodes bundle of the CSV sample validated with `precision`. */
function episodes(precision: string): Record<string, string>[] {
  const config = JSON.parse(readFileSync(path.join(samples, "phin.config.json"), "utf8"));
  const file = path.join(samples, `.dob-${process.pid}-${precision}.json`);
  written.push(file);
  writeFileSync(file, JSON.stringify({ ...config, minimise: { date_of_birth: precision } }));
  const run = runCli(["validate", "--config", file, "--period", "2026-10", "--json"], {
    PHIN_STATE_DIR: tempDir(`dob-${precision}`),
  });
  expect(run.code, run.stderr).toBe(0);
  const outDir = (JSON.parse(run.stdout) as { out_dir: string }).out_dir;
  return parse(readFileSync(path.join(outDir, "episodes.csv"), "utf8"), { columns: true });
}

it("sends the full date, its month or its year, with the age computed from the full date", () => {
  const full = episodes("full");
  const month = episodes("month");
  const year = episodes("year");
  expect(full.length).toBeGreaterThan(100);
  expect(month.length).toBe(full.length);
  expect(year.length).toBe(full.length);
  // Most sample births are not on the first of a month, so a reduction shows.
  expect(full.filter((r) => !r.date_of_birth?.endsWith("-01")).length).toBeGreaterThan(50);
  full.forEach((r, i) => {
    const dob = r.date_of_birth as string;
    expect(month[i]?.date_of_birth).toBe(`${dob.slice(0, 7)}-01`);
    expect(year[i]?.date_of_birth).toBe(`${dob.slice(0, 4)}-01-01`);
    expect(month[i]?.age_at_admission).toBe(r.age_at_admission);
    expect(year[i]?.age_at_admission).toBe(r.age_at_admission);
    expect(year[i]?.episode_id).toBe(r.episode_id);
  });
});

it("refuses any other precision as a configuration error", () => {
  const config = JSON.parse(readFileSync(path.join(samples, "phin.config.json"), "utf8"));
  const file = path.join(samples, `.dob-${process.pid}-bad.json`);
  written.push(file);
  writeFileSync(file, JSON.stringify({ ...config, minimise: { date_of_birth: "decade" } }));
  const run = runCli(["validate", "--config", file, "--period", "2026-10"], {
    PHIN_STATE_DIR: tempDir("dob-bad"),
  });
  expect(run.code).toBe(78);
  expect(run.stderr).toContain("minimise.date_of_birth");
});
