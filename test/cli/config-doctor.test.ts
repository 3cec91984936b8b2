import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { certificateCheck } from "../../src/doctor/doctor.ts";
import { createMaterial } from "../../src/sandbox/pki.ts";
import { repoRoot, runCli, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

describe("config show", () => {
  it("applies flags over environment over file, and never prints a secret", () => {
    const fromFile = JSON.parse(
      runCli(["config", "show", "--config", "samples/phin.config.json"]).stdout,
    );
    expect(fromFile.config.state_dir).toBe("../var");
    const fromEnv = JSON.parse(
      runCli(["config", "show", "--config", "samples/phin.config.json"], {
        PHIN_STATE_DIR: "/tmp/from-env",
      }).stdout,
    );
    expect(fromEnv.config.state_dir).toBe("/tmp/from-env");
    const fromFlag = JSON.parse(
      runCli(
        ["--state-dir", "/tmp/from-flag", "config", "show", "--config", "samples/phin.config.json"],
        { PHIN_STATE_DIR: "/tmp/from-env" },
      ).stdout,
    );
    expect(fromFlag.config.state_dir).toBe("/tmp/from-flag");
    expect(fromFile.config.pseudonymisation.key_file).toMatch(
      /^\[secret file .*pseudonym\.key, 64 bytes, mode 0\d+\]$/,
    );
    const key = readFileSync(path.join(repoRoot, "samples/keys/pseudonym.key"), "utf8");
    expect(JSON.stringify(fromFile)).not.toContain(key);
  });
});

describe("doctor", () => {
  it("passes against a running sandbox with good certificates", async () => {
    const env = await submitEnv();
    envs.push(env);
    const run = await env.cli(["doctor", "--config", env.configFile, "--json"]);
    const result = JSON.parse(run.stdout) as { checks: { name: string; status: string }[] };
    expect(result.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(result.checks.find((c) => c.name === "PHIN reachable")?.status).toBe("ok");
    expect(run.stdout).not.toContain(env.sandbox.material.token);
  });

  it("reports a missing secret with exit 78", () => {
    expect(
      runCli(["doctor", "--config", "samples/phin.config.json"], {
        PHIN_STATE_DIR: tempDir("doc"),
        PHIN_PSEUDONYM_KEY_FILE: "/nonexistent",
      }).code,
    ).toBe(78);
  });

  it("doctor and the run refuse a key file readable by group or others, or a weak key (78)", () => {
    const dir = tempDir("shared-key");
    const key = (name: string, content: string, mode: number) => {
      const file = path.join(dir, name);
      writeFileSync(file, content, { mode });
      return file;
    };
    const strong = createHash("sha256").update("shared-key test").digest("hex");
    // A config that does not allow a shared key file (the sample config allows its published key).
    const config = JSON.parse(
      readFileSync(path.join(repoRoot, "samples/phin.config.json"), "utf8"),
    );
    const configFile = path.join(repoRoot, "samples", `.shared-key-${process.pid}.json`);
    writeFileSync(configFile, JSON.stringify({ ...config, pseudonymisation: { key_file: "x" } }));
    try {
      const run = (command: string, keyFile: string) =>
        runCli(
          [
            command,
            "--config",
            configFile,
            "--json",
            ...(command === "validate" ? ["--period", "2026-10"] : []),
          ],
          {
            PHIN_STATE_DIR: path.join(dir, "state"),
            PHIN_PSEUDONYM_KEY_FILE: keyFile,
          },
        );
      const shared = key("shared.key", strong, 0o640);
      for (const command of ["doctor", "validate"]) {
        const result = run(command, shared);
        expect(result.code).toBe(78);
        expect(result.stdout).toMatch(/readable by group or others/);
        expect(result.stdout + result.stderr).not.toContain(strong);
      }
      expect(run("validate", shared).stdout).toContain("SECRET_FILE_SHARED");
      const weak = run("validate", key("weak.key", strong.slice(0, 32), 0o600));
      expect(weak.code).toBe(78);
      expect(weak.stdout).toMatch(/SECRET_INVALID[\s\S]*32 hex characters/);
      expect(run("validate", key("good.key", strong, 0o600)).code).toBe(0);
    } finally {
      rmSync(configFile, { force: true });
    }
  });

  it("warns 30 days before a certificate expires and fails an expired one", async () => {
    const now = new Date("2026-11-24T12:00:00Z");
    const soon = await createMaterial({
      notBefore: new Date("2026-01-01"),
      notAfter: new Date("2026-12-10"),
    });
    const gone = await createMaterial({
      notBefore: new Date("2025-01-01"),
      notAfter: new Date("2026-11-01"),
    });
    const fine = await createMaterial({
      notBefore: new Date("2026-01-01"),
      notAfter: new Date("2027-11-01"),
    });
    expect(certificateCheck("client", soon.clientCert, now).status).toBe("warn");
    expect(certificateCheck("client", gone.clientCert, now)).toMatchObject({
      status: "fail",
      failClass: "trust",
    });
    expect(certificateCheck("client", fine.clientCert, now).status).toBe("ok");
  });
});
