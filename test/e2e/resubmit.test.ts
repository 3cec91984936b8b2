// A month PHIN accepted, then changed extracts: plain `submit` refuses before any request, so an
// unattended run never replaces what PHIN holds. Through the real CLI and sandbox (HTTPS, mTLS).
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lastJson, repoRoot, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, type SubmitEnvOptions, submitEnv } from "../helpers/submit-env.ts";

const NOW = { PHIN_NOW: "2026-12-03T09:00:00Z" };

/** A submit env reading its own copy of the sample extracts (`data`), which a test may edit. */
function worldOver(data: string, sandbox: SubmitEnvOptions["sandbox"] = {}): Promise<SubmitEnv> {
  cpSync(path.join(repoRoot, "samples/pas-csv"), data, { recursive: true });
  return submitEnv({
    sandbox,
    config: (c) => {
      const datasets = c.datasets as Record<string, { source: { path: string } }>;
      for (const [name, d] of Object.entries(datasets))
        d.source.path = path.join(data, "{period}", `${name}.csv`);
      return c;
    },
  });
}

const data = tempDir("resubmit-data");
let env: SubmitEnv;
beforeAll(async () => {
  env = await worldOver(data);
});
afterAll(async () => {
  await env.close();
});

const cli = (args: string[]) => env.cli([...args, "--config", env.configFile], NOW);

/** Drop the last record of a month's file: its content, and so its submission id, change. */
function dropLastRecord(data: string, period: string, file: string): void {
  const where = path.join(data, period, file);
  const lines = readFileSync(where, "utf8").split(/(?<=\n)/);
  writeFileSync(where, lines.slice(0, -1).join(""));
}

describe("submit of a month PHIN accepted with other content", () => {
  it("refuses before any request, naming the accepted submission", async () => {
    const first = await cli(["submit", "--period", "2026-10", "--json"]);
    expect(first.code).toBe(0);
    const accepted = JSON.parse(first.stdout).submission_id as string;
    const before = { ...env.sandbox.counters };

    dropLastRecord(data, "2026-10", "adverse_events.csv");
    const refused = await cli(["submit", "--period", "2026-10"]);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain("PERIOD_ALREADY_ACCEPTED");
    expect(refused.stderr).toContain(accepted);
    expect(refused.stderr).toContain("next step:");
    expect(env.sandbox.counters).toEqual(before);

    const json = await cli(["submit", "--period", "2026-10", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      exit_code: 64,
      error: { code: "PERIOD_ALREADY_ACCEPTED" },
    });
    expect(env.sandbox.counters).toEqual(before);
  });
});

describe("a month PHIN rejected", () => {
  it("can be sent again by submit once `status` has recorded the rejection", async () => {
    const rejectedData = tempDir("rejected-data");
    const flip = [{ route: "upload", times: 1, action: { kind: "flip_byte" } }];
    const world = await worldOver(rejectedData, { faults: flip } as SubmitEnvOptions["sandbox"]);
    const run = (args: string[]) => world.cli([...args, "--config", world.configFile], NOW);
    try {
      expect((await run(["submit", "--period", "2026-10"])).code).toBe(0);
      let state = "";
      for (let i = 0; i < 40 && state !== "rejected"; i++) {
        state = String(lastJson((await run(["status", "--json"])).stdout).state);
        if (state !== "rejected") await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe("rejected");
      dropLastRecord(rejectedData, "2026-10", "adverse_events.csv");
      const again = await run(["submit", "--period", "2026-10", "--json"]);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ outcome: "submitted", resumed: false });
      expect(world.sandbox.counters).toMatchObject({ open: 2, commit: 2 });
    } finally {
      await world.close();
    }
  });
});
