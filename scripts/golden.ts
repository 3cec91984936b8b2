// Golden outputs: the bundle files and issues.csv the pipeline writes for both samples, kept
// under test/golden/ so any optimisation must reproduce them byte for byte. The XML system runs
// with the threshold lifted so its submission.xml is written too.
// `node scripts/golden.ts --write` regenerates them (review the diff); the test calls goldenRun.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../src/config/load-config.ts";
import { runValidate } from "../src/pipeline/run-validate.ts";
import { type Period, parsePeriod } from "../src/time/period.ts";

const root = path.resolve(import.meta.dirname, "..");
export const goldenDir = path.join(root, "test/golden");
const fixedNow = () => new Date("2026-11-24T12:00:00Z");

export const goldenCases = [
  {
    name: "pas-csv",
    config: "samples/phin.config.json",
    files: ["episodes.csv", "proms.csv", "adverse_events.csv", "manifest.json", "issues.csv"],
  },
  {
    name: "pas-xml",
    config: "samples/phin-xml.config.json",
    files: ["submission.xml", "manifest.json", "issues.csv"],
  },
] as const;

/** Run one case into a temp state dir; returns file name -> bytes. */
export async function goldenRun(c: (typeof goldenCases)[number]): Promise<Record<string, Buffer>> {
  const configFile = path.join(root, c.config);
  const raw = JSON.parse(readFileSync(configFile, "utf8"));
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-golden-"));
  // Same folder as the original so relative paths resolve; threshold lifted, state dir private.
  const tmpConfig = path.join(path.dirname(configFile), `.golden-${process.pid}-${c.name}.json`);
  writeFileSync(
    tmpConfig,
    JSON.stringify({ ...raw, state_dir: dir, thresholds: { max_rejected_share: 1 } }),
  );
  try {
    const loaded = await loadConfig(tmpConfig, {});
    const result = await runValidate({
      loaded,
      period: parsePeriod("2026-10") as Period,
      now: fixedNow,
      toolVersion: "golden",
      runId: "golden",
    });
    return Object.fromEntries(c.files.map((f) => [f, readFileSync(path.join(result.outDir, f))]));
  } finally {
    rmSync(tmpConfig, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--write")) {
  for (const c of goldenCases) {
    const out = await goldenRun(c);
    mkdirSync(path.join(goldenDir, c.name), { recursive: true });
    for (const [name, bytes] of Object.entries(out))
      writeFileSync(path.join(goldenDir, c.name, name), bytes);
    console.log(`wrote test/golden/${c.name}: ${Object.keys(out).join(", ")}`);
  }
}
