// `--json` output of the real CLI validated against the PUBLISHED JSON Schemas (schemas/cli/),
// not the zod source, so the files users rely on are what is tested.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli, tempDir } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

// ajv ships CommonJS: its class is the default export's `default`.
const Ajv2020 = (Ajv2020Module as unknown as { default: new (o: object) => import("ajv").default })
  .default;
const ajv = new Ajv2020({ allErrors: true, strict: false });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
const schema = (name: string) => {
  let validate = compiled.get(name);
  if (validate === undefined) {
    validate = ajv.compile(
      JSON.parse(readFileSync(path.join(repoRoot, "schemas/cli", `${name}.schema.json`), "utf8")),
    );
    compiled.set(name, validate);
  }
  return validate;
};
const lastLine = (text: string) => JSON.parse(text.trim().split("\n").at(-1) as string) as unknown;

function expectValid(name: string, value: unknown) {
  const validate = schema(name);
  const ok = validate(value);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const envs: SubmitEnv[] = [];
afterAll(async () => {
  await Promise.all(envs.map((e) => e.close()));
});

describe("--json output matches the published schemas", () => {
  it("validate (ready and blocked)", () => {
    const state = tempDir("json");
    for (const config of ["samples/phin.config.json", "samples/phin-xml.config.json"]) {
      const run = runCli(["validate", "--config", config, "--period", "2026-10", "--json"], {
        PHIN_STATE_DIR: state,
      });
      expectValid("validate", lastLine(run.stdout));
    }
  });

  it("submit, status, receipts list and receipts verify", async () => {
    const env = await submitEnv();
    envs.push(env);
    const submitted = await env.submit({}, ["--json"]);
    expect(submitted.code).toBe(0);
    expectValid("submit", lastLine(submitted.stdout));
    const again = await env.submit({}, ["--json"]);
    expectValid("submit", lastLine(again.stdout));
    expectValid(
      "status",
      lastLine((await env.cli(["status", "--config", env.configFile, "--json"])).stdout),
    );
    expectValid(
      "receipts-list",
      lastLine((await env.cli(["receipts", "list", "--config", env.configFile, "--json"])).stdout),
    );
    expectValid(
      "receipts-verify",
      lastLine(
        (await env.cli(["receipts", "verify", "--config", env.configFile, "--json"])).stdout,
      ),
    );
  });

  it("an error with --json", () => {
    const run = runCli([
      "validate",
      "--config",
      "does-not-exist.json",
      "--period",
      "2026-10",
      "--json",
    ]);
    expect(run.code).toBe(78);
    expectValid("error", lastLine(run.stdout));
  });
});
