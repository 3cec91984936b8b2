// Every failure class ends with its documented exit code, asserted on the real CLI as a child
// process (the way a scheduler sees it). Transmission classes (75, 76, 77, 11) are also covered
// in detail by test/transmit/submit.test.ts; here each class appears once, side by side.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyOfSamples, runCli, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

describe("exit codes", () => {
  it("0: a ready month; 65: a blocked month", () => {
    const state = tempDir("exit");
    expect(
      runCli(["validate", "--config", "samples/phin.config.json", "--period", "2026-10"], {
        PHIN_STATE_DIR: state,
      }).code,
    ).toBe(0);
    expect(
      runCli(["validate", "--config", "samples/phin-xml.config.json", "--period", "2026-10"], {
        PHIN_STATE_DIR: state,
      }).code,
    ).toBe(65);
  });

  it("64: usage errors", () => {
    expect(
      runCli(["validate", "--period", "2026-13", "--config", "samples/phin.config.json"]).code,
    ).toBe(64);
    expect(runCli(["no-such-command"]).code).toBe(64);
    expect(runCli(["validate"]).code).toBe(64);
  });

  it("78: missing config, invalid config, missing secret", () => {
    expect(runCli(["validate", "--config", "nope.json", "--period", "2026-10"]).code).toBe(78);
    const dir = copyOfSamples();
    const bad = path.join(dir, "samples/bad.config.json");
    writeFileSync(bad, JSON.stringify({ provider_code: "nq" }));
    const invalid = runCli(["validate", "--config", bad, "--period", "2026-10"]);
    expect(invalid.code).toBe(78);
    expect(invalid.stderr).toMatch(/provider_code/);
    const run = runCli(
      ["validate", "--config", path.join(dir, "samples/phin.config.json"), "--period", "2026-10"],
      {
        PHIN_PSEUDONYM_KEY_FILE: path.join(dir, "missing.key"),
        PHIN_STATE_DIR: tempDir("exit"),
      },
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/SECRET_MISSING/);
  });

  it("75: transport failed after retries (safe to rerun)", async () => {
    const env = await submitEnv({
      sandbox: { faults: [{ route: "open", times: 20, action: { kind: "status", status: 503 } }] },
      transport: (t) => ({ ...t, retry: { attempts: 3, base_ms: 20, max_ms: 50 } }),
    });
    envs.push(env);
    const run = await env.submit();
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/TRANSPORT_FAILED.*gave up after 3 attempts/);
    expect(env.sandbox.counters.open).toBe(3);
  });

  it("76: rejected by PHIN; 77: authentication refused", async () => {
    const env = await submitEnv({
      sandbox: { faults: [{ route: "open", times: 1, action: { kind: "status", status: 400 } }] },
    });
    envs.push(env);
    expect((await env.submit()).code).toBe(76);
    const denied = await submitEnv({ sandbox: { providers: ["ZZZ"] } });
    envs.push(denied);
    expect((await denied.submit()).code).toBe(77);
  });
});
