// The sandbox's start-up and route table. A port it cannot have is a configuration error naming
// the port (exit 78), not an internal one; the port is held here by a plain loopback listener.
import { rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPhinError } from "../../src/errors.ts";
import { startSandbox } from "../../src/sandbox/server.ts";
import { runCliAsync, tempDir } from "../helpers/cli.ts";
import { sandboxRequest } from "../helpers/sandbox-request.ts";

const dir = tempDir("sandbox-port");
const holder = createServer();
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  port = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => holder.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("sandbox on a taken port", () => {
  it("fails with CONFIG_INVALID, class config, naming the port and --port", async () => {
    const error: unknown = await startSandbox({ dataDir: dir, port }).then(
      (sandbox) => sandbox.close(),
      (e: unknown) => e,
    );
    if (!isPhinError(error)) throw new Error("expected a PhinError");
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.errorClass).toBe("config");
    expect(error.field).toBe("--port");
    expect(error.message).toBe(`port ${port} on 127.0.0.1 is already in use`);
    expect(error.hint).toMatch(/--port 0/);
  });

  it("through the CLI: exit 78 and one error line with its next step", async () => {
    const run = await runCliAsync(["sandbox", "--data-dir", dir, "--port", String(port)]);
    expect(run.code).toBe(78);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      `phin-submit: CONFIG_INVALID: port ${port} on 127.0.0.1 is already in use (field --port)`,
      "  next step: choose another port with --port, or --port 0 for any free one",
    ]);
  });
});

describe("sandbox fault scripts", () => {
  it("a broken or invalid script is exit 78 naming the file, never an internal error", async () => {
    for (const [name, text, says] of [
      ["broken.json", "{x", "broken.json:1:2 is not valid JSON"],
      ["invalid.json", '[{"route": "nowhere"}]', "invalid.json is not a valid fault script"],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const run = await runCliAsync([
        "sandbox",
        "--data-dir",
        dir,
        "--port",
        "0",
        "--faults",
        file,
      ]);
      expect(run.code).toBe(78);
      expect(run.stderr).toContain(says);
      expect(run.stdout).toBe("");
    }
  });
});

describe("sandbox route table", () => {
  it("answers only its routes; requests outside it are 404 NOT_FOUND and not counted", async () => {
    const sandbox = await startSandbox({ dataDir: path.join(dir, "routes"), port: 0 });
    const call = async (method: string, p: string, token?: string) => {
      const { status, body } = await sandboxRequest(sandbox, method, p, token ? { token } : {});
      return { status, code: JSON.parse(body).code as unknown };
    };
    try {
      expect(await call("GET", "/v1/other/S1")).toEqual({ status: 404, code: "NOT_FOUND" });
      expect(await call("DELETE", "/v1/submissions")).toEqual({ status: 404, code: "NOT_FOUND" });
      expect(sandbox.counters.total).toBe(0);
      expect(await call("GET", "/v1/submissions/S1", "wrong")).toEqual({
        status: 401,
        code: "UNAUTHORIZED",
      });
      expect(await call("GET", "/v1/submissions/S1")).toEqual({
        status: 404,
        code: "UNKNOWN_SUBMISSION",
      });
      expect(await call("POST", "/v1/submissions")).toEqual({ status: 400, code: "KEY_MISSING" });
      expect(await call("GET", "/_admin/nothing")).toEqual({ status: 404, code: "NOT_FOUND" });
      expect(sandbox.counters).toMatchObject({ status: 2, open: 1, total: 3 });
    } finally {
      await sandbox.close();
    }
  });
});
