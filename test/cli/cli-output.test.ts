// CLI output contracts: a closed stdout pipe ends the run quietly, and under --json every
// outcome, usage errors included, is exactly one JSON object on stdout.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020Module from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.ts";

const Ajv2020 = (Ajv2020Module as unknown as { default: new (o: object) => import("ajv").default })
  .default;
const errorSchema = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(path.join(repoRoot, "schemas/cli/error.schema.json"), "utf8")),
);

describe("stdout closed early", () => {
  it("`--help | true` and `--help | head -c 1` exit 0 without a stack trace", () => {
    for (const reader of ["true", "head -c 1"]) {
      const run = spawnSync(
        "bash",
        [
          "-c",
          `"${process.execPath}" bin/phin-submit.js --help | ${reader}; echo "rc=\${PIPESTATUS[0]}" >&2`,
        ],
        { cwd: repoRoot, encoding: "utf8" },
      );
      expect(run.stderr).toBe("rc=0\n");
    }
  });
});

describe("--json: one JSON object on stdout for every outcome", () => {
  const cases: [string, string[], string][] = [
    ["unknown option", ["validate", "--period", "2026-10", "--frobnicate", "--json"], "validate"],
    ["missing --period", ["validate", "--json"], "validate"],
    ["unknown command", ["frobnicate", "--json"], ""],
    ["bad --period", ["validate", "--period", "2026-13", "--json"], "validate"],
    ["excess argument", ["receipts", "list", "extra", "--json"], "receipts list"],
  ];
  for (const [name, args, command] of cases) {
    it(name, () => {
      const run = runCli(args);
      expect(run.code).toBe(64);
      const lines = run.stdout.trim().split("\n");
      expect(lines).toHaveLength(1);
      const out = JSON.parse(lines[0] as string);
      expect(errorSchema(out), JSON.stringify(errorSchema.errors)).toBe(true);
      expect(out).toMatchObject({
        command: command || null,
        exit_code: 64,
        error: { code: "USAGE" },
      });
      expect(run.stderr).not.toBe("");
    });
  }

  it("without --json a usage error leaves stdout empty", () => {
    const run = runCli(["validate", "--frobnicate"]);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe("");
  });
});
