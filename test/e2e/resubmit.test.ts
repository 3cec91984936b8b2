// A month PHIN accepted, then changed extracts: plain `submit` refuses before any request, so an
// unattended run never replaces what PHIN holds. Through the real CLI and sandbox (HTTPS, mTLS).
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const NOW = { PHIN_NOW: "2026-12-03T09:00:00Z" };
const data = tempDir("resubmit-data");

let env: SubmitEnv;
beforeAll(async () => {
  cpSync(path.join(repoRoot, "samples/pas-csv"), data, { recursive: true });
  env = await submitEnv({
    config: (c) => {
      const datasets = c.datasets as Record<string, { source: { path: string } }>;
      for (const [name, d] of Object.entries(datasets))
        d.source.path = path.join(data, "{period}", `${name}.csv`);
      return c;
    },
  });
});
afterAll(async () => {
  await env.close();
});

const cli = (args: string[]) => env.cli([...args, "--config", env.configFile], NOW);

/** Drop the last record of a month's file: its content, and so its submission id, change. */
function dropLastRecord(period: string, file: string): void {
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

    dropLastRecord("2026-10", "adverse_events.csv");
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
