// No patient-level leftovers: a run stopped by SIGTERM or SIGINT removes its staging folder and
// exits 143 or 130; a run killed by SIGKILL leaves one, which the next command of any kind
// removes, while the folder of a run still going is left alone.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeBenchExtracts } from "../../samples/generator/bench.ts";
import { repoRoot, runCliAsync, tempDir } from "../helpers/cli.ts";
import { submitEnv } from "../helpers/submit-env.ts";

let dir = "";
let config = "";
beforeAll(async () => {
  // Large enough that validate runs for seconds: long enough to be caught mid-run.
  dir = tempDir("leftovers");
  await writeBenchExtracts({ rows: 40_000, seed: 1, out: dir, format: "csv" });
  config = path.join(dir, "phin.config.json");
}, 120_000);

const stagingOf = (state: string) => path.join(state, "staging");
const listing = (state: string) =>
  existsSync(stagingOf(state)) ? readdirSync(stagingOf(state)) : [];

function startValidate(
  state: string,
  command = "validate",
  configFile = config,
): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, "bin/phin-submit.js"),
      command,
      "--config",
      configFile,
      "--period",
      "2026-10",
      "--state-dir",
      state,
    ],
    { env: { ...process.env, NO_COLOR: "1" }, stdio: "ignore" },
  );
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => resolve(code)),
  );
  return { child, exited };
}

/** Resolves once the run's staging folder holds accepted rows: patient-level data on disk. */
async function midRun(state: string, other?: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const runs = listing(state).filter((n) => !n.endsWith(".holder") && n !== other);
    for (const run of runs) {
      const folder = path.join(stagingOf(state), run);
      const files = existsSync(folder) ? readdirSync(folder) : [];
      if (files.some((f) => statSync(path.join(folder, f)).size > 0)) return run;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("the run never reached its staging folder");
}

describe("interrupted runs", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)(
    "%s mid-run: exit %i and no staging folder left",
    async (signal, code) => {
      const state = path.join(tempDir("state"), "state");
      const { child, exited } = startValidate(state);
      await midRun(state);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(listing(state)).toEqual([]);
    },
    60_000,
  );

  it("SIGTERM mid-submit also lets go of the period lock", async () => {
    const env = await submitEnv();
    try {
      const withTransport = path.join(dir, "submit.config.json");
      const transport = JSON.parse(readFileSync(env.configFile, "utf8")).transport;
      writeFileSync(
        withTransport,
        JSON.stringify({ ...JSON.parse(readFileSync(config, "utf8")), transport }),
      );
      const state = path.join(tempDir("state"), "state");
      const { child, exited } = startValidate(state, "submit", withTransport);
      await midRun(state);
      expect(existsSync(path.join(state, "locks/NQX-2026-10.lock"))).toBe(true);
      child.kill("SIGTERM");
      expect(await exited).toBe(143);
      expect(listing(state)).toEqual([]);
      expect(readdirSync(path.join(state, "locks"))).toEqual([]);
      expect(env.sandbox.counters.total).toBe(0);
    } finally {
      await env.close();
    }
  }, 60_000);

  it("after SIGKILL mid-run, the next command of any kind removes the dead run's folder, not a live one's", async () => {
    const state = path.join(tempDir("state"), "state");
    const dead = startValidate(state);
    const deadRun = await midRun(state);
    dead.child.kill("SIGKILL");
    await dead.exited;
    expect(listing(state)).toContain(deadRun);

    const live = startValidate(state);
    const liveRun = await midRun(state, deadRun);
    const show = await runCliAsync(["config", "show", "--config", config, "--state-dir", state]);
    expect(show.code).toBe(0);
    const left = listing(state);
    expect(left).not.toContain(deadRun);
    expect(left).not.toContain(`${deadRun}.holder`);
    expect(left).toContain(liveRun);
    expect(left).toContain(`${liveRun}.holder`);
    live.child.kill("SIGKILL");
    await live.exited;
  }, 60_000);
});
