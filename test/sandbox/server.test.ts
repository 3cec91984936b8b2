// The sandbox's route table: only its routes are answered, and only API routes are counted.
import { rmSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../../src/sandbox/server.ts";
import { tempDir } from "../helpers/cli.ts";

const dir = tempDir("sandbox-routes");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sandbox route table", () => {
  it("answers only its routes; requests outside it are 404 NOT_FOUND and not counted", async () => {
    const sandbox = await startSandbox({ dataDir: path.join(dir, "routes"), port: 0 });
    const m = sandbox.material;
    const call = (method: string, p: string, token = m.token) =>
      new Promise<{ status: number; code: unknown }>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: sandbox.port,
            path: p,
            method,
            ca: m.caCert,
            cert: m.clientCert,
            key: m.clientKey,
            servername: "localhost",
            headers: { authorization: `Bearer ${token}` },
          },
          (res) => {
            let text = "";
            res.on("data", (d) => (text += d));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).code }),
            );
          },
        );
        req.on("error", reject);
        req.end();
      });
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
