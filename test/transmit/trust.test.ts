// Nothing local is believed without proof, end to end over real HTTPS against the sandbox: a
// forged receipt entry, a lost ledger tail, an emptied or deleted ledger, and the way back
// through PHIN's list (`receipts verify --remote`, `receipts recover`, `submit --confirm`).
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { entryHeader, Ledger } from "../../src/receipt/ledger.ts";
import { signReceipt } from "../../src/receipt/receipt.ts";
import { lastJson } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
async function world(): Promise<SubmitEnv> {
  const env = await submitEnv();
  envs.push(env);
  return env;
}
afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
});

/** A dry run: the bundle the next submit would send, and its manifest. */
async function validated(env: SubmitEnv) {
  const run = await env.validate(undefined, ["--json"]);
  const out = lastJson(run.stdout);
  const outDir = String(out.out_dir);
  const manifest = JSON.parse(readFileSync(path.join(outDir, "manifest.json"), "utf8"));
  return { id: String(out.submission_id), outDir, manifest };
}

/** What an attacker with write access to the state dir can do: append a receipt and re-chain. */
async function forge(env: SubmitEnv, kind: "unsigned" | "other key") {
  const { id, outDir, manifest } = await validated(env);
  const ledger = await Ledger.open(path.join(env.stateDir, "ledger.jsonl"));
  const body = {
    receipt_id: "forged",
    submission_id: id,
    provider_code: "NQX",
    period: "2026-10",
    schema_version: 1,
    manifest_sha256: "0".repeat(64),
    files: manifest.files,
    supersedes: null,
    received_at: "2026-11-01T00:00:00Z",
  };
  const pair = generateKeyPairSync("ed25519");
  const privateKey = pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const publicKey = pair.publicKey.export({ type: "spki", format: "pem" }).toString();
  const receipt =
    kind === "unsigned"
      ? { receipt: body, key_id: "0000000000000000", signature: "" }
      : signReceipt(body, privateKey, publicKey);
  const about = { provider_code: "NQX", period: "2026-10", submission_id: id };
  const entry = await ledger.append({
    ...entryHeader("receipt", new Date(), "0.1.0", about),
    receipt,
    manifest_sha256: body.manifest_sha256,
  });
  return { id, outDir, seq: entry.seq };
}

describe("a forged receipt entry", () => {
  it.each(["unsigned", "other key"] as const)(
    "(%s) makes submit exit 77 naming the entry, with no request and the bundle kept",
    async (kind) => {
      const env = await world();
      const { outDir, seq } = await forge(env, kind);
      const run = await env.submit();
      expect(run.code).toBe(77);
      expect(run.stderr).toContain("RECEIPT_UNTRUSTED");
      expect(run.stderr).toContain(`ledger entry ${seq} records a receipt`);
      expect(run.stdout).not.toContain("ALREADY SUBMITTED");
      expect(env.sandbox.counters.total).toBe(0);
      expect(existsSync(path.join(outDir, "episodes.csv"))).toBe(true);
    },
  );

  it("makes status exit 77 before PHIN is asked, and receipts verify name it", async () => {
    const env = await world();
    const { seq } = await forge(env, "other key");
    const status = await env.cli(["status", "--config", env.configFile]);
    expect(status.code).toBe(77);
    expect(status.stderr).toContain(`ledger entry ${seq}`);
    expect(env.sandbox.counters.total).toBe(0);
    const verify = await env.cli(["receipts", "verify", "--config", env.configFile]);
    expect(verify.code).toBe(77);
    expect(verify.stderr).toContain(
      `entry ${seq} (line ${seq}): receipt: the signature does not verify`,
    );
    const remote = await env.cli(["receipts", "verify", "--remote", "--config", env.configFile]);
    expect(remote.code).toBe(77);
    expect(remote.stderr).toMatch(
      /PHIN does not hold submission NQX-2026-10-\w+, which this entry/,
    );
  });
  it("makes state rebuild exit 77: a forged receipt never becomes a link target", async () => {
    const env = await world();
    const { seq } = await forge(env, "unsigned");
    const run = await env.cli(["state", "rebuild", "--config", env.configFile]);
    expect(run.code).toBe(77);
    expect(run.stderr).toContain(`ledger entry ${seq} records a receipt`);
    expect(existsSync(path.join(env.stateDir, "state.db"))).toBe(false);
  });
});

describe("a lost ledger end", () => {
  const ledgerFile = (env: SubmitEnv) => path.join(env.stateDir, "ledger.jsonl");
  const cases: [string, (file: string) => void, RegExp][] = [
    [
      "the last entry deleted",
      (f) => writeFileSync(f, `${readFileSync(f, "utf8").split("\n")[0]}\n`),
      /the ledger's last 1 entry is missing: it ends at entry 1, its head records 2/,
    ],
    [
      "the ledger emptied",
      (f) => writeFileSync(f, ""),
      /the ledger is empty, but its head records 2/,
    ],
    ["the ledger deleted", (f) => rmSync(f), /the ledger file is missing, but its head records 2/],
  ];

  it.each(cases)(
    "%s: verify fails with its own message; --remote and recover restore it",
    async (_what, damage, says) => {
      const env = await world();
      expect((await env.submit()).code).toBe(0);
      damage(ledgerFile(env));
      const verify = await env.cli(["receipts", "verify", "--config", env.configFile]);
      expect(verify.code).toBe(77);
      expect(verify.stderr).toMatch(says);
      const submitted = await env.submit();
      expect(submitted.code).toBe(77);
      expect(submitted.stderr).toContain("LEDGER_INVALID");

      const remote = await env.cli([
        "receipts",
        "verify",
        "--remote",
        "--config",
        env.configFile,
        "--json",
      ]);
      expect(remote.code).toBe(77);
      const id = env.sandbox.store.all()[0]?.submission_id;
      const listed = lastJson(remote.stdout).remote as {
        missing_from_ledger: { submission_id: string }[];
      };
      expect(listed.missing_from_ledger.map((m) => m.submission_id)).toEqual([id]);

      const recover = await env.cli(["receipts", "recover", "--config", env.configFile]);
      expect(recover.code).toBe(0);
      expect(recover.stdout).toContain(`recovered 2026-10  ${id}`);
      const after = await env.cli(["receipts", "verify", "--remote", "--config", env.configFile]);
      expect(after.stderr).toBe("");
      expect(after.code).toBe(0);
      const before = env.sandbox.counters.total;
      const again = await env.submit({}, ["--json"]);
      expect(again.code).toBe(0);
      expect(lastJson(again.stdout).outcome).toBe("already_submitted");
      expect(env.sandbox.counters.total).toBe(before);
    },
    60_000,
  );
});

describe("confirming with PHIN", () => {
  it("submit --confirm asks PHIN's list, and doctor checks every receipt against it", async () => {
    const env = await world();
    expect((await env.submit()).code).toBe(0);
    const again = await env.submit({}, ["--confirm", "--json"]);
    expect(again.code).toBe(0);
    expect(lastJson(again.stdout)).toMatchObject({ outcome: "already_submitted", confirmed: true });
    expect(env.sandbox.counters.list).toBe(1);
    const doctor = await env.cli(["doctor", "--config", env.configFile]);
    expect(doctor.stdout).toMatch(
      /OK\s+receipts held by PHIN\s+1 receipts, each verified and held/,
    );
  }, 60_000);
});
