// The pas-sql sample end to end through the real CLI on the real servers: the MediPAS records
// loaded into PostgreSQL and MariaDB validate to the CSV twin's counts and rule counts and to its
// byte-identical bundle, issues name the query file and row numbers, and no sample PII leaves.
// Each kind loads the sample into a schema of this run's own and drops it afterwards.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dropSample, loadSample, sampleUrl } from "../../samples/pas-sql/load.ts";
import type { ReportV1 } from "../../src/report/report-schema.ts";
import {
  type CliRun,
  copyOfSamples,
  filesUnder,
  readJson,
  repoRoot,
  runCli,
  tempDir,
} from "../helpers/cli.ts";
import {
  closedPort,
  describeWithServer,
  runSchema,
  type SampleKind,
  sqlKinds,
} from "../helpers/sql-servers.ts";

interface Expected {
  datasets: Record<string, { read: number; valid: number; rejected: number; out_of_scope: number }>;
  issues_by_rule: Record<string, Record<string, number>>;
}

interface SampleConfig {
  datasets: Record<string, { mapping: string; source: { url_file?: string } }>;
}

const BUNDLE = ["episodes.csv", "proms.csv", "adverse_events.csv"];
const golden = path.join(repoRoot, "test/golden/pas-csv");

/** A scratch copy of the samples whose SQL config for `kind` reads `schema`, and its path. */
function sampleCopy(
  kind: SampleKind,
  schema: string,
  change: (config: SampleConfig) => void = () => {},
) {
  const dir = copyOfSamples();
  const queries = path.join(dir, "mappings/pas-sql/queries", kind);
  for (const name of readdirSync(queries)) {
    const file = path.join(queries, name);
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("pas_sql.", `${schema}.`));
  }
  const config = path.join(dir, `samples/phin-${kind}.config.json`);
  const json = readJson<SampleConfig>(config);
  change(json);
  writeFileSync(config, JSON.stringify(json));
  return config;
}

function validate(config: string, env: Record<string, string> = {}, stateDir = tempDir("sql")) {
  return runCli(["validate", "--config", config, "--period", "2026-10", "--json"], {
    PHIN_STATE_DIR: stateDir,
    ...env,
  });
}

/** The connection in PG* variables instead of a URL file (the standard environment). */
function pgEnvironment(): Record<string, string> {
  const url = new URL(sampleUrl("postgres"));
  return {
    PGHOST: url.hostname,
    PGPORT: url.port,
    PGUSER: url.username,
    PGDATABASE: url.pathname.slice(1),
  };
}

const withoutUrlFile = (config: SampleConfig) => {
  for (const dataset of Object.values(config.datasets)) delete dataset.source.url_file;
};

it("a missing server stops the run with exit 75 and one coded line, no stack trace", async () => {
  const port = await closedPort();
  for (const kind of sqlKinds) {
    const config = sampleCopy(kind, "pas_sql");
    writeFileSync(
      path.join(path.dirname(config), `pas-sql/${kind}.url`),
      `${kind}://u@127.0.0.1:${port}/test\n`,
    );
    const run = runCli(["validate", "--config", config, "--period", "2026-10"], {
      PHIN_STATE_DIR: tempDir("sql-down"),
    });
    expect({ kind, code: run.code }).toEqual({ kind, code: 75 });
    expect(run.stderr).toMatch(
      new RegExp(
        `^phin-submit: SQL_UNREACHABLE: episodes: \\.\\./mappings/pas-sql/queries/${kind}/episodes\\.sql: `,
      ),
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }
});

it("a SQL source with a CSV mapping is a configuration error before anything is read", () => {
  const config = sampleCopy("postgres", "pas_sql", (json) => {
    (json.datasets.proms as { mapping: string }).mapping = "../mappings/medipas/proms.json";
  });
  const run = validate(config);
  expect(run.code).toBe(78);
  expect(JSON.parse(run.stdout).error).toMatchObject({
    code: "CONFIG_INVALID",
    field: "datasets.proms.source.kind",
  });
});

for (const kind of sqlKinds) {
  await describeWithServer(kind, `validate on the ${kind} sample`, () => {
    const schema = runSchema("e2e");
    const stateDir = tempDir(`sql-${kind}`);
    let run: CliRun;
    let result: { out_dir: string; submission_id: string };
    let report: ReportV1;

    beforeAll(async () => {
      await loadSample(kind, sampleUrl(kind), schema);
      // PostgreSQL through the PG* variables, MariaDB through the sample's URL file.
      run =
        kind === "postgres"
          ? validate(sampleCopy(kind, schema, withoutUrlFile), pgEnvironment(), stateDir)
          : validate(sampleCopy(kind, schema), {}, stateDir);
      result = JSON.parse(run.stdout);
      report = readJson<ReportV1>(path.join(result.out_dir, "report.json"));
    }, 60_000);
    afterAll(() => dropSample(kind, sampleUrl(kind), schema));

    it("is ready with the CSV twin's counts and rule counts", () => {
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
      const expected = readJson<Expected>(path.join(repoRoot, "samples/pas-csv/expected.json"));
      for (const [dataset, counts] of Object.entries(expected.datasets)) {
        const { read, valid, rejected, out_of_scope } =
          report.datasets[dataset as keyof ReportV1["datasets"]];
        expect({ dataset, read, valid, rejected, out_of_scope }).toEqual({ dataset, ...counts });
      }
      const byRule: Record<string, Record<string, number>> = {
        episodes: {},
        proms: {},
        adverse_events: {},
      };
      for (const r of report.issues_by_rule)
        (byRule[r.dataset] as Record<string, number>)[r.rule] = r.count;
      expect(byRule).toEqual(expected.issues_by_rule);
    });

    it("writes the CSV twin's bundle byte for byte, under the same submission id", () => {
      for (const name of BUNDLE) {
        const same = readFileSync(path.join(result.out_dir, name)).equals(
          readFileSync(path.join(golden, name)),
        );
        expect({ name, same }).toEqual({ name, same: true });
      }
      const manifest = readJson<{ submission_id: string }>(path.join(golden, "manifest.json"));
      expect(result.submission_id).toBe(manifest.submission_id);
    });

    it("names the query file and the row number in every issue", () => {
      const rows = readFileSync(path.join(result.out_dir, "issues.csv"), "utf8")
        .trimEnd()
        .split("\r\n")
        .slice(1);
      expect(rows.length).toBeGreaterThan(40);
      for (const row of rows) {
        const [dataset, file, line] = row.split(",");
        expect(file).toBe(`../mappings/pas-sql/queries/${kind}/${dataset}.sql`);
        const read = report.datasets[dataset as keyof ReportV1["datasets"]].read;
        expect(Number(line)).toBeGreaterThanOrEqual(1);
        expect(Number(line)).toBeLessThanOrEqual(read);
      }
    });

    it("lets no sample PII value out in any file written or byte printed", () => {
      const pii = readJson<string[]>(path.join(repoRoot, "samples/pii-values.json"));
      const written = filesUnder(stateDir);
      const texts = [run.stdout, run.stderr, ...written.map((f) => readFileSync(f, "utf8"))];
      expect(written.length).toBeGreaterThan(5);
      expect(pii.filter((value) => texts.some((t) => t.includes(value)))).toEqual([]);
    });
  });
}
