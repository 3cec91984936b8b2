// `submit` end to end over real HTTPS with real certificates against the sandbox on loopback.
// Each test asserts how many requests arrived.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createMaterial } from "../../src/sandbox/pki.ts";
import { lastJson, repoRoot } from "../helpers/cli.ts";
import { sandboxRequest } from "../helpers/sandbox-request.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const envs: SubmitEnv[] = [];
async function world(options: Parameters<typeof submitEnv>[0] = {}): Promise<SubmitEnv> {
  const env = await submitEnv(options);
  envs.push(env);
  return env;
}
afterEach(async () => {
  await Promise.all(envs.splice(0).map((e) => e.close()));
});

async function waitForState(env: SubmitEnv, wanted: string): Promise<string> {
  let state = "";
  for (let i = 0; i < 40 && state !== wanted; i++) {
    const run = await env.cli(["status", "--config", env.configFile, "--json"]);
    state = String(lastJson(run.stdout).state);
    if (state !== wanted) await new Promise((r) => setTimeout(r, 100));
  }
  return state;
}

describe("submit: happy path", () => {
  it("submits once, records a verified receipt, becomes accepted, and a rerun sends nothing", async () => {
    const env = await world();
    const first = await env.submit({}, ["--json"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(lastJson(first.stdout)).toMatchObject({ outcome: "submitted", exit_code: 0 });
    expect(env.sandbox.counters).toMatchObject({ open: 1, upload: 3, commit: 1, total: 5 });
    const entries = await env.ledger();
    expect(entries.map((e) => e.type)).toEqual(["intent", "receipt"]);
    expect(await waitForState(env, "accepted")).toBe("accepted");
    const verify = await env.cli(["receipts", "verify", "--config", env.configFile]);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/ledger OK: \d+ entries, 1 receipts, signatures verified/);

    const before = env.sandbox.counters.total;
    const again = await env.submit({}, ["--json"]);
    expect(again.code).toBe(0);
    expect(lastJson(again.stdout)).toMatchObject({ outcome: "already_submitted" });
    expect(env.sandbox.counters.total).toBe(before);
    expect(env.sandbox.store.all()).toHaveLength(1);
    // The payload is deleted once receipted; manifest and reports stay.
    const outDir = String(lastJson(again.stdout).out_dir);
    expect(() => readFileSync(path.join(outDir, "episodes.csv"))).toThrow();
    expect(readFileSync(path.join(outDir, "manifest.json"), "utf8")).toContain("submission_id");
  });
});

describe("submit: retries", () => {
  it("honours Retry-After: 503 twice then success is exactly 3 opens, at least 2 s apart (real clock)", async () => {
    const env = await world({
      sandbox: {
        faults: [
          { route: "open", times: 2, action: { kind: "status", status: 503, retry_after: "2" } },
        ],
      },
    });
    const run = await env.submit();
    expect(run.code).toBe(0);
    expect(env.sandbox.counters.open).toBe(3);
    const [a, b, c] = env.sandbox.arrivals.open as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(1990);
    expect(c - b).toBeGreaterThanOrEqual(1990);
  }, 30_000);

  it("deadline 4 s and Retry-After 30: exit 75 at once, saying when PHIN asked to be called again", async () => {
    const env = await world({
      sandbox: {
        faults: [
          { route: "open", times: 1, action: { kind: "status", status: 503, retry_after: "30" } },
        ],
      },
      transport: (t) => ({ ...t, retry: { ...(t.retry as object), deadline_ms: 4_000 } }),
    });
    const run = await env.submit();
    const ended = Date.now();
    expect(run.code).toBe(75);
    expect(env.sandbox.counters.open).toBe(1);
    const first = env.sandbox.arrivals.open?.[0] as number;
    expect(ended - first).toBeLessThan(5_000);
    expect(run.stderr).toMatch(/called again at \d{4}-\d\d-\d\dT[\d:.]+Z \(Retry-After 30 s\)/);
    expect(run.stderr).toContain("stopped after 1 attempt");
  }, 30_000);

  it("a connection reset mid-upload is retried; the sandbox holds exactly one submission", async () => {
    const env = await world({
      sandbox: { faults: [{ route: "upload", times: 1, action: { kind: "reset" } }] },
    });
    const run = await env.submit();
    expect(run.code).toBe(0);
    expect(env.sandbox.counters.upload).toBe(4);
    expect(env.sandbox.store.all()).toHaveLength(1);
  });

  it("commit then a dropped connection: the retried commit returns the original receipt", async () => {
    const env = await world({
      sandbox: { faults: [{ route: "commit", times: 1, action: { kind: "drop_after" } }] },
    });
    const run = await env.submit();
    expect(run.code).toBe(0);
    expect(env.sandbox.counters.commit).toBe(2);
    expect(env.sandbox.store.all()).toHaveLength(1);
    const id = env.sandbox.store.all()[0]?.submission_id as string;
    const stored = JSON.parse((await env.sandbox.store.receipt(id))?.toString("utf8") as string);
    const recorded = (await env.ledger()).find((e) => e.type === "receipt")?.receipt;
    expect(recorded).toEqual(stored);
  });
});

describe("submit: failures that are not retried", () => {
  it.each([
    [
      "400",
      { route: "open", times: 1, action: { kind: "status", status: 400, code: "BAD_MANIFEST" } },
      76,
    ],
    [
      "422",
      { route: "open", times: 1, action: { kind: "status", status: 422, code: "KEY_REUSED" } },
      76,
    ],
  ] as const)(
    "HTTP %s: one request, exit %s, nothing recorded as sent",
    async (_s, fault, code) => {
      const env = await world({ sandbox: { faults: [fault] } });
      const run = await env.submit();
      expect(run.code).toBe(code);
      expect(env.sandbox.counters.total).toBe(1);
      expect((await env.ledger()).some((e) => e.type === "receipt")).toBe(false);
    },
  );

  it("HTTP 401 (wrong token): one request, exit 77", async () => {
    const env = await world({
      transport: (t, dir) => {
        const token = path.join(dir, "wrong-token");
        writeFileSync(token, "not-the-token");
        return { ...t, token_file: token };
      },
    });
    const run = await env.submit();
    expect(run.code).toBe(77);
    expect(env.sandbox.counters.total).toBe(1);
    expect(run.stderr).toContain("AUTH_REFUSED");
    expect((await env.ledger()).some((e) => e.type === "receipt")).toBe(false);
  });

  it("HTTP 403 (provider not allowed for this client): one request, exit 77", async () => {
    const env = await world({ sandbox: { providers: ["ZZZ"] } });
    const run = await env.submit();
    expect(run.code).toBe(77);
    expect(env.sandbox.counters.total).toBe(1);
  });

  it.each(["bad_signature", "wrong_digest"] as const)(
    "a receipt with a %s is not success: exit 77, ledger says unconfirmed",
    async (kind) => {
      const env = await world({
        sandbox: { faults: [{ route: "commit", times: 1, action: { kind } }] },
      });
      const run = await env.submit();
      expect(run.code).toBe(77);
      expect(run.stderr).toContain("RECEIPT_INVALID");
      const types = (await env.ledger()).map((e) => e.type);
      expect(types).toContain("unconfirmed");
      expect(types).not.toContain("receipt");
    },
  );
});

describe("submit: TLS is verified before any byte is sent", () => {
  it("a server whose certificate is from another CA: exit 77, no request arrives", async () => {
    const other = await createMaterial();
    const env = await world({
      transport: (t, dir) => {
        const ca = path.join(dir, "other-ca.pem");
        writeFileSync(ca, other.caCert);
        return { ...t, ca_file: ca };
      },
    });
    const run = await env.submit();
    expect(run.code).toBe(77);
    expect(run.stderr).toContain("TLS_REFUSED");
    expect(env.sandbox.counters.total).toBe(0);
  });

  // Under TLS 1.3 the server's rejection of the client certificate arrives after the client
  // thinks the handshake is done, as a reset connection: indistinguishable from a network reset,
  // so it is retried and ends as 75. Either way no request (and no file byte) reaches PHIN.
  it("a client certificate the server does not trust: refused, no request arrives", async () => {
    const other = await createMaterial();
    const env = await world({
      transport: (t, dir) => {
        writeFileSync(path.join(dir, "c.pem"), other.clientCert);
        writeFileSync(path.join(dir, "c.key"), other.clientKey);
        return {
          ...t,
          client_cert_file: path.join(dir, "c.pem"),
          client_key_file: path.join(dir, "c.key"),
        };
      },
    });
    const run = await env.submit();
    expect([75, 77]).toContain(run.code);
    expect(env.sandbox.counters.total).toBe(0);
  });

  it("a missing client certificate file: exit 78 before anything is read or sent", async () => {
    const env = await world({
      transport: (t, dir) => ({ ...t, client_cert_file: path.join(dir, "absent.pem") }),
    });
    const run = await env.submit();
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("SECRET_MISSING");
    expect(env.sandbox.counters.total).toBe(0);
  });

  it("a TLS 1.1-only server: exit 77, no request arrives", async () => {
    const env = await world({ sandbox: { minTlsVersion: "TLSv1", maxTlsVersion: "TLSv1.1" } });
    const run = await env.submit();
    expect(run.code).toBe(77);
    expect(env.sandbox.counters.total).toBe(0);
  });

  it("NODE_TLS_REJECT_UNAUTHORIZED=0 makes it refuse to start: exit 77, no request", async () => {
    const env = await world();
    const run = await env.submit({ NODE_TLS_REJECT_UNAUTHORIZED: "0" });
    expect(run.code).toBe(77);
    expect(run.stderr).toContain("NODE_TLS_REJECT_UNAUTHORIZED");
    expect(env.sandbox.counters.total).toBe(0);
  });
});

describe("submit: crashes and concurrency", () => {
  it("an empty lock file (a crash mid-write) does not block a later submit", async () => {
    const env = await world();
    mkdirSync(path.join(env.stateDir, "locks"), { recursive: true });
    writeFileSync(path.join(env.stateDir, "locks/NQX-2026-10.lock"), "");
    const run = await env.submit();
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(existsSync(path.join(env.stateDir, "locks/NQX-2026-10.lock"))).toBe(false);
  });

  it("two concurrent submits for one period: one submits, the other exits 11 naming the holder", async () => {
    const env = await world({
      sandbox: { faults: [{ route: "open", times: 1, action: { kind: "delay", ms: 2500 } }] },
    });
    const run = () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            path.join(repoRoot, "src/cli/main.ts"),
            "submit",
            "--config",
            env.configFile,
            "--period",
            "2026-10",
          ],
          {
            env: { ...process.env, NO_COLOR: "1" },
          },
        );
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stderr }));
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code].sort()).toEqual([0, 11]);
    const loser = a.code === 11 ? a : b;
    expect(loser.stderr).toMatch(/locked by run .* \(pid \d+/);
    expect(env.sandbox.store.all()).toHaveLength(1);
  }, 30_000);
});

describe("the ledger", () => {
  it("editing any byte of an entry makes `receipts verify` fail naming the entry", async () => {
    const env = await world();
    expect((await env.submit()).code).toBe(0);
    const file = path.join(env.stateDir, "ledger.jsonl");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace('"type":"intent"', '"type":"intenT"'));
    const verify = await env.cli(["receipts", "verify", "--config", env.configFile]);
    expect(verify.code).toBe(77);
    expect(verify.stderr).toMatch(/entry 1 \(line 1\)/);
  });
});

describe("secrets and patient data never appear in output", () => {
  it("a failing submission prints no token, key or PII", async () => {
    const env = await world({
      sandbox: { faults: [{ route: "commit", times: 1, action: { kind: "bad_signature" } }] },
    });
    const run = await env.submit();
    expect(run.code).toBe(77);
    const printed =
      run.stdout + run.stderr + readFileSync(path.join(env.stateDir, "ledger.jsonl"), "utf8");
    const m = env.sandbox.material;
    const keyBody = (pem: string) => pem.split("\n").slice(1, 3).join("");
    const secrets = [
      m.token,
      keyBody(m.clientKey),
      keyBody(m.serverKey),
      keyBody(m.receiptPrivateKey),
      readFileSync(path.join(repoRoot, "samples/keys/pseudonym.key"), "utf8"),
    ];
    for (const s of secrets) expect(printed).not.toContain(s);
    const pii = JSON.parse(
      readFileSync(path.join(repoRoot, "samples/pii-values.json"), "utf8"),
    ) as string[];
    expect(pii.filter((v) => printed.includes(v))).toEqual([]);
  });
});

describe("sandbox: storage corruption and the admin endpoint", () => {
  it("a byte flipped in a stored file makes PHIN reject the submission with feedback", async () => {
    const env = await world({
      sandbox: { faults: [{ route: "upload", times: 1, action: { kind: "flip_byte" } }] },
    });
    expect((await env.submit()).code).toBe(0);
    expect(await waitForState(env, "rejected")).toBe("rejected");
    const status = await env.cli(["status", "--config", env.configFile, "--json"]);
    expect(status.code).toBe(76);
    expect(JSON.stringify(lastJson(status.stdout).feedback)).toContain("FILE_CORRUPT");
  });

  it("the loopback admin endpoint adds faults and reports counters, with the token only", async () => {
    const env = await world();
    const call = (method: string, p: string, body?: string, token?: string) =>
      sandboxRequest(env.sandbox, method, p, {
        ...(body === undefined ? {} : { body }),
        ...(token === undefined ? {} : { token }),
      });
    expect((await call("GET", "/_admin/counters", undefined, "wrong")).status).toBe(401);
    const added = await call(
      "POST",
      "/_admin/faults",
      JSON.stringify([{ route: "open", times: 1, action: { kind: "status", status: 503 } }]),
    );
    expect(added.status).toBe(200);
    expect((await env.submit()).code).toBe(0);
    const counters = JSON.parse((await call("GET", "/_admin/counters")).body);
    expect(counters.counters.open).toBe(2);
    expect(counters.fired.status).toBe(1);
  });
});
