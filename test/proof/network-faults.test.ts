// Network fault matrix: `submit` against the real sandbox (HTTPS, mutual TLS, loopback) with one
// scripted fault per case (src/sandbox/faults.ts) on open, upload or commit. Each run ends either
// with "SUBMITTED", one submission at PHIN and one receipt in the ledger, or with a coded exit
// and no receipt and no "sent"; a clean rerun then ends with exactly one submission.
import { afterAll, describe, expect, it } from "vitest";
import type { FaultAction, FaultRule } from "../../src/sandbox/faults.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";
import { limit, runBounded } from "./bounded.ts";

interface FaultCase {
  readonly route: FaultRule["route"];
  readonly times: number;
  readonly action: FaultAction;
  /** The exit the faulty run must end with. */
  readonly exit: 0 | 75 | 76 | 77;
}

const status = (s: number, extra: Partial<{ retry_after: string; code: string }> = {}) =>
  ({ kind: "status", status: s, ...extra }) as const;
const perRoute = (route: "open" | "upload" | "commit"): FaultCase[] => [
  { route, times: 1, action: status(500), exit: 0 },
  { route, times: 1, action: status(503, { retry_after: "0" }), exit: 0 },
  { route, times: 2, action: status(429, { retry_after: "0" }), exit: 0 },
  { route, times: 1, action: status(409, { code: "IN_PROGRESS" }), exit: 0 },
  { route, times: 20, action: status(502), exit: 75 },
  { route, times: 1, action: { kind: "reset" }, exit: 0 },
  { route, times: 20, action: { kind: "reset" }, exit: 75 },
  { route, times: 1, action: { kind: "delay", ms: 2_500 }, exit: 0 },
  { route, times: 1, action: { kind: "drop_after" }, exit: 0 },
];
const cases: readonly FaultCase[] = [
  ...perRoute("open"),
  ...perRoute("upload"),
  ...perRoute("commit"),
  { route: "commit", times: 1, action: { kind: "bad_signature" }, exit: 77 },
  { route: "commit", times: 1, action: { kind: "wrong_digest" }, exit: 77 },
  { route: "open", times: 1, action: status(400), exit: 76 },
  { route: "commit", times: 1, action: status(409, { code: "CONFLICT" }), exit: 76 },
  { route: "any", times: 3, action: { kind: "reset" }, exit: 0 },
];

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});
const slot = limit(2);
const name = (c: FaultCase) =>
  `${c.route}: ${c.action.kind}${"status" in c.action ? ` ${c.action.status}` : ""}${"code" in c.action && c.action.code ? ` ${c.action.code}` : ""} x${c.times}`;

describe("network fault matrix: submit against the sandbox", () => {
  it("has at least 25 fault cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.concurrent.each(cases.map((c) => [name(c), c] as const))("%s", async (_, c) =>
    slot(async () => {
      const env = await submitEnv({
        sandbox: { faults: [{ route: c.route, times: c.times, action: c.action }] },
        transport: (t) => ({
          ...t,
          timeouts: { response_ms: 1_500 },
          retry: { attempts: 4, base_ms: 20, max_ms: 100, deadline_ms: 20_000 },
        }),
      });
      envs.push(env);
      const args = ["submit", "--config", env.configFile, "--period", "2026-10"];
      const run = await runBounded(args);
      const receipts = async () => (await env.ledger()).filter((e) => e.type === "receipt");
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(env.sandbox.faults.fired[c.action.kind], "the fault never fired").toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(c.exit);
      if (c.exit === 0) {
        expect(run.stdout).toMatch(/SUBMITTED/);
        expect(env.sandbox.store.all()).toHaveLength(1);
        expect(await receipts()).toHaveLength(1);
        return;
      }
      expect(run.stdout).not.toMatch(/SUBMITTED/);
      expect(run.stderr).toMatch(/[A-Z_]{4,}/); // a coded error
      expect(await receipts()).toHaveLength(0);
      env.sandbox.faults.clear();
      const rerun = await runBounded(args);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(env.sandbox.store.all()).toHaveLength(1);
      expect(await receipts()).toHaveLength(1);
    }),
  );
});
