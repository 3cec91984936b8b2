// The run log says how every run ended and why: one `run.end` line with outcome, exit code,
// counts and duration, and for a failure the error's code, class, stage and place (never a
// message). A blocked run also says why on stderr, even with -q.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { serialiseError } from "../../src/log/run-log.ts";
import { runCli, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
  for (const dir of [...dirs, ...envs.map((e) => e.dir)])
    rmSync(dir, { recursive: true, force: true });
});

/** Every line of the one run log in a state directory. */
function runLog(stateDir: string): Record<string, unknown>[] {
  const runs = path.join(stateDir, "runs");
  const files = readdirSync(runs);
  expect(files).toHaveLength(1);
  return readFileSync(path.join(runs, files[0] as string), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function validate(config: string, extra: string[] = []) {
  const state = tempDir("runlog");
  dirs.push(state);
  const run = runCli([...extra, "validate", "--config", config, "--period", "2026-10"], {
    PHIN_STATE_DIR: state,
  });
  return { run, log: runLog(state) };
}

describe("run.end", () => {
  it("a ready month ends ok with its counts", () => {
    const { run, log } = validate("samples/phin.config.json");
    expect(run.code).toBe(0);
    const ends = log.filter((l) => l.event === "run.end");
    expect(ends).toHaveLength(1);
    expect(log.at(-1)).toMatchObject({
      level: "info",
      outcome: "ok",
      exit_code: 0,
      command: "validate",
    });
    expect(log.at(-1)).toHaveProperty("counts.episodes.read");
    expect(typeof log.at(-1)?.duration_ms).toBe("number");
  });

  it("a blocked month ends at warn, and says why on stderr even with -q", () => {
    const { run, log } = validate("samples/phin-xml.config.json", ["-q"]);
    expect(run.code).toBe(65);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^phin-submit: BLOCKED: episodes: 24 of 69 records rejected [^\n]* \(and 2 more\); report: [^\n]*report\.html\n$/,
    );
    expect(log.at(-1)).toMatchObject({
      level: "warn",
      event: "run.end",
      outcome: "blocked",
      exit_code: 65,
    });
  });

  it("a failed submit ends with the error's code and class", async () => {
    const env = await submitEnv({
      sandbox: { faults: [{ route: "open", times: 1, action: { kind: "status", status: 400 } }] },
    });
    envs.push(env);
    const run = await env.submit();
    expect(run.code).toBe(76);
    const log = runLog(env.stateDir);
    expect(log.filter((l) => l.event === "run.end")).toHaveLength(1);
    expect(log.at(-1)).toMatchObject({
      level: "error",
      event: "run.end",
      command: "submit",
      outcome: "failed",
      exit_code: 76,
      err: { code: "REJECTED", class: "rejected", stage: "transmit" },
    });
    // No message in the log's errors: ours may be long, a library's may quote data.
    for (const line of log) expect(JSON.stringify(line.err ?? {})).not.toContain("message");
  });
});

describe("serialiseError", () => {
  it("keeps code, class, stage and place, drops the message, and is idempotent", () => {
    const error = new PhinError("SOURCE_COLUMNS", "value 'Smith' is not a column", {
      stage: "extract",
      file: "episodes.csv",
      line: 3,
      field: "surname",
    });
    const once = serialiseError(error);
    expect(once).toEqual({
      code: "SOURCE_COLUMNS",
      class: "input",
      stage: "extract",
      file: "episodes.csv",
      line: 3,
      field: "surname",
    });
    expect(serialiseError(once)).toEqual(once);
    const foreign = Object.assign(new Error("row Smith failed"), { code: "ENOENT" });
    expect(serialiseError(foreign)).toEqual({
      code: "INTERNAL",
      class: "internal",
      type: "Error",
      errno: "ENOENT",
    });
  });
});
