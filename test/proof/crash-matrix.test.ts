// Crash matrix: a run killed by SIGKILL at every named point of validate and submit (the
// PHIN_CRASH_AT hook, src/io/crash-point.ts), then rerun with `submit`: PHIN holds exactly one
// accepted submission, the ledger verifies with one intent and one receipt, no staging is left.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";
import { limit, runBounded } from "./bounded.ts";

const bundle = ["episodes.csv", "proms.csv", "adverse_events.csv"];
const points: readonly { command: "validate" | "submit"; point: string }[] = [
  { command: "validate", point: "validate:staging-created" },
  ...bundle.map((f) => ({ command: "validate" as const, point: `bundle-writing:${f}` })),
  { command: "validate", point: "bundle-written:proms.csv" },
  { command: "validate", point: "publish:before-rename" },
  { command: "validate", point: "publish:after-rename" },
  { command: "submit", point: "bundle-writing:episodes.csv" },
  { command: "submit", point: "bundle-written:adverse_events.csv" },
  { command: "submit", point: "validate:reports-written" },
  { command: "submit", point: "publish:after-rename" },
  ...["intent", "receipt"].flatMap((type) =>
    ["before-append", "after-append", "after-head"].map((at) => ({
      command: "submit" as const,
      point: `ledger:${at}:${type}`,
    })),
  ),
  { command: "submit", point: "submit:after-intent" },
  { command: "submit", point: "transmit:after-open" },
  ...bundle.map((f) => ({ command: "submit" as const, point: `transmit:after-upload:${f}` })),
  { command: "submit", point: "transmit:after-commit" },
  { command: "submit", point: "settle:after-delete" },
];

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});
const slot = limit(2);

describe("crash matrix: SIGKILL at a named point, then rerun", () => {
  it("covers at least 12 named points", () => {
    expect(points.length).toBeGreaterThanOrEqual(12);
  });

  it.concurrent.each(points)("$command killed at $point", async ({ command, point }) =>
    slot(async () => {
      const env = await submitEnv();
      envs.push(env);
      const args = (c: string) => [c, "--config", env.configFile, "--period", "2026-10"];
      const killed = await runBounded(args(command), { env: { PHIN_CRASH_AT: point } });
      expect(killed.signal, `the point ${point} was never reached`).toBe("SIGKILL");
      expect(killed.timedOut).toBe(false);

      const rerun = await runBounded(args("submit"));
      expect(rerun.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(rerun.code).toBe(0);
      expect(env.sandbox.store.all()).toHaveLength(1);

      const verify = await runBounded(["receipts", "verify", "--config", env.configFile]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      const types = (await env.ledger()).map((e) => e.type);
      expect(types.filter((t) => t === "intent")).toHaveLength(1);
      expect(types.filter((t) => t === "receipt")).toHaveLength(1);
      const staging = path.join(env.stateDir, "staging");
      expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    }),
  );
});
