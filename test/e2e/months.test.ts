// Months as a sequence, through the real CLI and the real sandbox (HTTPS, mTLS): 2026-10 is
// submitted, then 2026-11, whose post-op PROMs and events follow 2026-10's episodes out of the
// state store. Each CLI run is a new process, so every later run reads the store from disk.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReportV1 } from "../../src/report/report-schema.ts";
import { repoRoot } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const AFTER_NOVEMBER = { PHIN_NOW: "2026-12-03T09:00:00Z" };
const expectedNovember = JSON.parse(
  readFileSync(path.join(repoRoot, "samples/pas-csv/expected-2026-11.json"), "utf8"),
);
const pii: string[] = JSON.parse(
  readFileSync(path.join(repoRoot, "samples/pii-values.json"), "utf8"),
);

let env: SubmitEnv;
beforeAll(async () => {
  env = await submitEnv();
});
afterAll(async () => {
  await env.close();
});

const cli = (args: string[], extra: Record<string, string> = AFTER_NOVEMBER) =>
  env.cli([...args, "--config", env.configFile], extra);

function report(outDir: string): ReportV1 {
  return JSON.parse(readFileSync(path.join(outDir, "report.json"), "utf8"));
}

/** What the link rules answered for a month, as its report tells it. */
function linkAnswers(r: ReportV1) {
  return {
    datasets: Object.fromEntries(
      (["proms", "adverse_events"] as const).map((d) => [
        d,
        { valid: r.datasets[d].valid, rejected: r.datasets[d].rejected },
      ]),
    ),
    links: r.links_from_earlier_months,
    issues: r.issues_by_rule.map((i) => [i.dataset, i.rule, i.count]),
  };
}

/** Every row of the store, in a fixed order. */
function storeRows(): unknown[] {
  const db = new DatabaseSync(path.join(env.stateDir, "state.db"), { readOnly: true });
  try {
    return [
      db.prepare("SELECT * FROM submissions ORDER BY submission_id").all(),
      db.prepare("SELECT * FROM episodes ORDER BY submission_id, episode_id").all(),
    ];
  } finally {
    db.close();
  }
}

describe("months in sequence: 2026-10, then 2026-11 linking back to it", () => {
  let november: ReportV1;

  it("submits 2026-10 and records its episodes in a private state store", async () => {
    const run = await cli(["submit", "--period", "2026-10", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(env.sandbox.counters).toMatchObject({ open: 1, upload: 3, commit: 1, total: 5 });
    for (const name of readdirSync(env.stateDir).filter((n) => n.startsWith("state.db")))
      expect(statSync(path.join(env.stateDir, name)).mode & 0o777).toBe(0o600);
    const id = JSON.parse(run.stdout).submission_id as string;
    const keys = path.join(env.stateDir, "link-keys", "NQX", "2026-10", `${id}.jsonl`);
    expect(statSync(keys).mode & 0o777).toBe(0o600);
    // One record digest per sent record, per dataset (what a resubmission's summary compares).
    const db = new DatabaseSync(path.join(env.stateDir, "state.db"), { readOnly: true });
    const digests = db
      .prepare(
        "SELECT dataset, count(*) AS n FROM record_digests GROUP BY dataset ORDER BY dataset",
      )
      .all();
    db.close();
    const sent = JSON.parse(run.stdout).datasets;
    expect(digests).toEqual(
      ["adverse_events", "episodes", "proms"].map((d) => ({ dataset: d, n: sent[d].valid })),
    );
  });

  it("submits 2026-11: post-op PROMs and events of 2026-10 episodes validate", async () => {
    const run = await cli(["submit", "--period", "2026-11", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(env.sandbox.counters).toMatchObject({ open: 2, commit: 2, total: 10 });
    november = report(JSON.parse(run.stdout).out_dir);
    for (const d of ["episodes", "proms", "adverse_events"] as const)
      expect(november.datasets[d]).toMatchObject(expectedNovember.datasets[d]);
    expect(november.links_from_earlier_months).toEqual({ proms: 80, adverse_events: 20 });
    const byRule = Object.fromEntries(
      november.issues_by_rule.map((i) => [`${i.dataset} ${i.rule}`, i.count]),
    );
    // One PROM names an id in no month; one an episode 2026-10 rejected (not sent to PHIN).
    expect(byRule).toEqual({
      "episodes REQUIRED": 1,
      "proms LINK_UNKNOWN_EPISODE": 1,
      "proms LINK_EARLIER_EPISODE_NOT_ACCEPTED": 1,
    });
    const html = readFileSync(path.join(JSON.parse(run.stdout).out_dir, "report.html"), "utf8");
    expect(html).toContain("Links satisfied from earlier months: 80 PROMs and 20 adverse events");
  });

  it("validated alone (no store), the same PROMs are unknown episodes", async () => {
    const alone = await submitEnv({ sandboxDataDir: path.join(env.dir, "sandbox") });
    try {
      const run = await alone.cli(
        ["validate", "--period", "2026-11", "--config", alone.configFile, "--json"],
        AFTER_NOVEMBER,
      );
      const r = report(JSON.parse(run.stdout).out_dir);
      expect(r.links_from_earlier_months).toEqual({ proms: 0, adverse_events: 0 });
      const unknown = (dataset: string) =>
        r.issues_by_rule.find((i) => i.rule === "LINK_UNKNOWN_EPISODE" && i.dataset === dataset);
      expect(unknown("proms")?.count).toBe(83);
      expect(unknown("adverse_events")?.count).toBe(20);
    } finally {
      await alone.close();
    }
  });

  it("state rebuild makes the same store, and a new process gets the same link answers", async () => {
    const before = storeRows();
    rmSync(path.join(env.stateDir, "state.db"));
    const run = await cli(["state", "rebuild", "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ submissions: 2, not_recoverable: [] });
    expect(storeRows()).toEqual(before);
    expect(statSync(path.join(env.stateDir, "state.db")).mode & 0o777).toBe(0o600);

    const again = await cli(["validate", "--period", "2026-11", "--json"]);
    expect(again.code).toBe(0);
    expect(linkAnswers(report(JSON.parse(again.stdout).out_dir))).toEqual(linkAnswers(november));
  });

  it("the store and the link-keys files hold no sample PII value", () => {
    const files = readdirSync(env.stateDir, { recursive: true, encoding: "utf8" })
      .map((f) => path.join(env.stateDir, f))
      .filter((f) => /state\.db|link-keys\//.test(f) && statSync(f).isFile());
    expect(files.filter((f) => f.endsWith(".jsonl"))).toHaveLength(2);
    for (const file of files) {
      const bytes = readFileSync(file);
      const text = `${bytes.toString("utf8")}\n${bytes.toString("latin1")}`;
      expect(pii.filter((v) => text.includes(v))).toEqual([]);
    }
  });

  it("submit refuses a month not yet ended in London (no request); validate warns and runs", async () => {
    const lastEvening = { PHIN_NOW: "2026-11-30T23:30:00Z" };
    const total = env.sandbox.counters.total;
    const refused = await cli(["submit", "--period", "2026-11"], lastEvening);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain("PERIOD_NOT_ENDED");
    expect(env.sandbox.counters.total).toBe(total);
    const checked = await cli(["validate", "--period", "2026-11"], lastEvening);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toContain("warning: period 2026-11 has not ended yet");
  });
});
