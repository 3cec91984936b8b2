// The validate dry run on both sample systems, end to end through the real CLI: verdicts and
// exact counts per rule as the samples were built to contain, deterministic bundles, and no
// sample PII in any byte written or printed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReportV1 } from "../../src/report/report-schema.ts";
import { $ReportV1 } from "../../src/report/report-schema.ts";
import { type CliRun, filesUnder, readJson, repoRoot, runCli, tempDir } from "../helpers/cli.ts";

interface Expected {
  verdict: "ready" | "blocked";
  datasets: Record<string, { read: number; valid: number; rejected: number; out_of_scope: number }>;
  issues_by_rule: Record<string, Record<string, number>>;
}

const systems = [
  { name: "pas-csv", config: "samples/phin.config.json", exit: 0 },
  { name: "pas-xml", config: "samples/phin-xml.config.json", exit: 65 },
] as const;

function validate(config: string, stateDir: string, env: Record<string, string> = {}): CliRun {
  return runCli(["validate", "--config", config, "--period", "2026-10", "--json"], {
    PHIN_STATE_DIR: stateDir,
    ...env,
  });
}

function issuesByRule(report: ReportV1): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {
    episodes: {},
    proms: {},
    adverse_events: {},
  };
  for (const r of report.issues_by_rule)
    (out[r.dataset] as Record<string, number>)[r.rule] = r.count;
  return out;
}

describe.each(systems)("validate on the $name samples", (system) => {
  const stateDir = tempDir(`validate-${system.name}`);
  let run: CliRun;
  let result: { out_dir: string; submission_id: string | null; verdict: string };
  let report: ReportV1;

  beforeAll(() => {
    run = validate(system.config, stateDir);
    result = JSON.parse(run.stdout);
    report = $ReportV1.parse(readJson(path.join(result.out_dir, "report.json")));
  });

  it("exits with the code of its verdict and prints one JSON object", () => {
    // stderr holds nothing, or for a blocked month the one line that says why.
    if (system.exit === 0) expect(run.stderr).toBe("");
    else expect(run.stderr).toMatch(/^phin-submit: BLOCKED: [^\n]+; report: [^\n]+report\.html\n$/);
    expect(run.code).toBe(system.exit);
    expect(result.verdict).toBe(system.exit === 0 ? "ready" : "blocked");
  });

  it("matches the counts and rule counts the samples were built to contain", () => {
    const expected = readJson<Expected>(
      path.join(repoRoot, "samples", system.name, "expected.json"),
    );
    expect(report.verdict).toBe(expected.verdict);
    for (const [dataset, counts] of Object.entries(expected.datasets)) {
      const actual = report.datasets[dataset as keyof ReportV1["datasets"]];
      expect({
        dataset,
        read: actual.read,
        valid: actual.valid,
        rejected: actual.rejected,
        out_of_scope: actual.out_of_scope,
      }).toEqual({
        dataset,
        ...counts,
      });
    }
    expect(issuesByRule(report)).toEqual(expected.issues_by_rule);
  });

  it("writes the three reports, and the bundle only when ready", () => {
    const names = filesUnder(result.out_dir)
      .map((f) => path.basename(f))
      .sort();
    const reports = ["issues.csv", "report.html", "report.json"];
    if (system.exit === 0) {
      const bundle =
        report.bundle?.format === "xml"
          ? ["submission.xml"]
          : ["adverse_events.csv", "episodes.csv", "proms.csv"];
      expect(names).toEqual([...bundle, "manifest.json", ...reports].sort());
    } else {
      expect(names).toEqual(reports);
      expect(report.submission_id).toBeNull();
    }
  });

  it("lists dropped source columns by name", () => {
    expect(report.datasets.episodes.dropped_columns.length).toBeGreaterThan(3);
  });

  it("issues.csv has one row per issue", () => {
    const lines = readFileSync(path.join(result.out_dir, "issues.csv"), "utf8")
      .trimEnd()
      .split("\r\n");
    const total = report.issues_by_rule.reduce((n, r) => n + r.count, 0);
    expect(lines.length - 1).toBe(total);
  });
});

describe("determinism and the pseudonymisation key", () => {
  it("same input and key give byte-identical bundles and the same id; another key changes both", () => {
    const a = validate("samples/phin.config.json", tempDir("det-a"));
    const b = validate("samples/phin.config.json", tempDir("det-b"));
    const c = validate("samples/phin.config.json", tempDir("det-c"), {
      PHIN_PSEUDONYM_KEY_FILE: path.join(repoRoot, "samples/keys/other.key"),
    });
    const [ra, rb, rc] = [a, b, c].map(
      (r) => JSON.parse(r.stdout) as { out_dir: string; submission_id: string },
    );
    if (ra === undefined || rb === undefined || rc === undefined) throw new Error("no result");
    expect(ra.submission_id).toBe(rb.submission_id);
    for (const name of ["episodes.csv", "proms.csv", "adverse_events.csv", "manifest.json"]) {
      expect(readFileSync(path.join(rb.out_dir, name))).toEqual(
        readFileSync(path.join(ra.out_dir, name)),
      );
    }
    expect(rc.submission_id).not.toBe(ra.submission_id);
    const pseudonyms = (dir: string) =>
      readFileSync(path.join(dir, "episodes.csv"), "utf8")
        .split("\r\n")
        .slice(1, 20)
        .map((l) => l.split(",")[4]);
    expect(pseudonyms(rc.out_dir)).not.toEqual(pseudonyms(ra.out_dir));
    const manifestA = readJson<{ pseudonym_key_id: string }>(
      path.join(ra.out_dir, "manifest.json"),
    );
    const manifestC = readJson<{ pseudonym_key_id: string }>(
      path.join(rc.out_dir, "manifest.json"),
    );
    expect(manifestC.pseudonym_key_id).not.toBe(manifestA.pseudonym_key_id);
  });
});

describe("leak check (docs/data-protection.md)", () => {
  it("no sample PII value appears in any file written or any byte printed, for every sample", () => {
    const pii = readJson<string[]>(path.join(repoRoot, "samples/pii-values.json"));
    expect(pii.length).toBeGreaterThan(50);
    const stateDir = tempDir("leak");
    const printed: string[] = [];
    for (const system of systems) {
      const run = validate(system.config, stateDir);
      printed.push(run.stdout, run.stderr);
    }
    const written = filesUnder(stateDir).map((f) => ({
      f,
      text: readFileSync(f, "latin1") + readFileSync(f, "utf8"),
    }));
    expect(written.length).toBeGreaterThan(8);
    const leaks: string[] = [];
    for (const value of pii) {
      for (const { f, text } of written)
        if (text.includes(value)) leaks.push(`${value} in ${path.relative(stateDir, f)}`);
      if (printed.some((p) => p.includes(value))) leaks.push(`${value} printed`);
    }
    expect(leaks).toEqual([]);
  });
});
