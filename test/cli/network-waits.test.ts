// Every network wait over 2 s says what it waits for, on a terminal only (never under --json or
// -q, never in a pipe), and is logged. `script` gives the CLI a pseudo-terminal.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

const hasScript = spawnSync("script", ["--version"]).status === 0;
const entry = path.join(repoRoot, "bin/phin-submit.js");
const id = "NQX-2026-10-71faa9c1e48fc4886d7b";

const envs: SubmitEnv[] = [];
const servers: net.Server[] = [];
afterAll(async () => {
  for (const s of servers) s.close();
  await Promise.all(envs.map((e) => e.close()));
  for (const e of envs) rmSync(e.dir, { recursive: true, force: true });
});

/** `phin-submit status` in a pseudo-terminal (stdout and stderr both land in `output`). */
function statusOnTerminal(
  env: SubmitEnv,
  flag?: "--json" | "-q",
): Promise<{ code: number; output: string }> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const args = ["status", id, "--config", env.configFile];
  if (flag === "-q") args.unshift(flag);
  else if (flag === "--json") args.push(flag);
  const command = [process.execPath, entry, ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code: code ?? -1, output: output.replaceAll("\r", "") }));
  });
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function runLogEvents(env: SubmitEnv): Record<string, unknown>[] {
  const runs = path.join(env.stateDir, "runs");
  return readdirSync(runs).flatMap((f) =>
    readFileSync(path.join(runs, f), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
}

describe.skipIf(!hasScript)("network waits", () => {
  it("status against an unreachable server says it waits before retrying, and logs it", async () => {
    const port = await closedPort();
    const env = await submitEnv({
      transport: (t) => ({
        ...t,
        url: `https://127.0.0.1:${port}`,
        retry: { attempts: 2, base_ms: 2600, max_ms: 2600 },
      }),
    });
    envs.push(env);
    const run = await statusOnTerminal(env);
    expect(run.code).toBe(75);
    expect(run.output).toContain(
      "phin-submit: waiting up to 3 s for attempt 2 of 2 at status (last: ECONNREFUSED)\n",
    );
    expect(runLogEvents(env)).toContainEqual(
      expect.objectContaining({ event: "network.wait", attempt: 2, seconds: 3 }),
    );
    // Not for machines or -q.
    for (const flag of ["--json", "-q"] as const) {
      const quiet = await statusOnTerminal(env, flag);
      expect(quiet.code).toBe(75);
      expect(quiet.output).not.toContain("waiting");
    }
  }, 60_000);

  it("a server that accepts but never answers is announced after 2 s", async () => {
    const silent = net.createServer(() => {});
    servers.push(silent);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const { port } = silent.address() as net.AddressInfo;
    const env = await submitEnv({
      transport: (t) => ({
        ...t,
        url: `https://127.0.0.1:${port}`,
        timeouts: { connect_ms: 1000, tls_ms: 3000, response_ms: 1000 },
        retry: { attempts: 1 },
      }),
    });
    envs.push(env);
    const run = await statusOnTerminal(env);
    expect(run.code).toBe(75);
    expect(run.output).toContain("phin-submit: waiting up to 5 s for PHIN to answer status\n");
  }, 60_000);
});
