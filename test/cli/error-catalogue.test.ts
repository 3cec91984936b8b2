// The error catalogue is the one source of codes, classes and exit codes: every code has a
// numeric exit code that is its class's, and docs/errors.md and --help print the same table.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  errorCatalogue,
  errorClasses,
  exitCodeOf,
  exitCodeTable,
  PhinError,
} from "../../src/errors.ts";
import { repoRoot, runCli } from "../helpers/cli.ts";

describe("error catalogue", () => {
  it("gives every code a numeric exit code, the one of its class", () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(Number.isInteger(entry.exit), code).toBe(true);
      expect(entry.exit, code).toBe(errorClasses[entry.class].exit);
      expect(
        exitCodeOf(new PhinError(code as keyof typeof errorCatalogue, "x", { stage: "cli" })),
      ).toBe(entry.exit);
    }
    expect(exitCodeOf(new Error("not ours"))).toBe(70);
  });

  it("keeps the exit codes schedulers act on", () => {
    expect(exitCodeTable.map(([code]) => code)).toEqual([
      0, 11, 64, 65, 70, 75, 76, 77, 78, 130, 143,
    ]);
  });

  it("docs/errors.md lists every code with its exit code, and nothing undefined", () => {
    const doc = readFileSync(path.join(repoRoot, "docs/errors.md"), "utf8");
    expect(doc).not.toMatch(/undefined/);
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(doc).toContain(`| \`${code}\` | ${entry.class} | ${entry.exit} |`);
    }
  });

  it("--help prints the exit code table", () => {
    const run = runCli(["--help"]);
    expect(run.code).toBe(0);
    for (const [code, meaning] of exitCodeTable) {
      expect(run.stdout).toContain(`${String(code).padEnd(4)}${meaning}`);
    }
  });
});
