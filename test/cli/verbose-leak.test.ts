// A failing submission run with --verbose: the structured log goes to stderr and to the run
// log file, and neither (nor stdout) may hold the token, any key file's contents or any sample
// patient value.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

describe("--verbose on a failing submission", () => {
  it("logs stages and errors without secrets or patient values", async () => {
    const env = await submitEnv({
      sandbox: {
        faults: [
          { route: "upload", times: 1, action: { kind: "status", status: 503, retry_after: "0" } },
          { route: "commit", times: 1, action: { kind: "bad_signature" } },
        ],
      },
    });
    envs.push(env);
    const run = await env.submit({}, ["--verbose"]);
    expect(run.code).toBe(77);
    const runsDir = path.join(env.stateDir, "runs");
    const logs = readdirSync(runsDir).map((f) => readFileSync(path.join(runsDir, f), "utf8"));
    expect(logs).toHaveLength(1);
    const log = logs[0] as string;
    // The log is useful: stages, counts, the retry and the failure are there.
    for (const event of [
      "run.start",
      "dataset.done",
      "ledger.intent",
      "transmit.retry",
      "receipt.invalid",
      "run.end",
    ]) {
      expect(log).toContain(`"event":"${event}"`);
    }
    // The run ends with one line that says how, and why (the error's code and class).
    const last = JSON.parse(log.trim().split("\n").at(-1) as string);
    expect(last).toMatchObject({
      event: "run.end",
      outcome: "failed",
      exit_code: 77,
      err: { code: "RECEIPT_INVALID", class: "trust", stage: "receipt" },
    });
    expect(run.stderr).toContain('"event":"dataset.done"');

    const m = env.sandbox.material;
    const pemBody = (pem: string) =>
      pem
        .split("\n")
        .filter((l) => l !== "" && !l.startsWith("-----"))
        .join("");
    const secrets = [
      m.token,
      ...[m.clientKey, m.receiptPrivateKey, m.serverKey].flatMap((pem) =>
        pem.split("\n").filter((l) => l.length > 20 && !l.startsWith("-----")),
      ),
      pemBody(m.clientKey).slice(0, 40),
      readFileSync(path.join(repoRoot, "samples/keys/pseudonym.key"), "utf8"),
    ];
    const pii = JSON.parse(
      readFileSync(path.join(repoRoot, "samples/pii-values.json"), "utf8"),
    ) as string[];
    for (const [where, text] of [
      ["stdout", run.stdout],
      ["stderr", run.stderr],
      ["log file", log],
    ] as const) {
      expect(secrets.filter((s) => text.includes(s)).map(() => where)).toEqual([]);
      expect(pii.filter((v) => text.includes(v))).toEqual([]);
      expect(text.toLowerCase()).not.toContain("bearer");
    }
  });
});
