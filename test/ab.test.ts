// The A/B script compares checkouts round by round: here one checkout against itself, on a
// small generated dataset, to hold its output to what docs/performance.md tells people to read.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { repoRoot, tempDir } from "./helpers/cli.ts";

it("scripts/ab.ts prints each checkout's times and the later one against the first, per round", () => {
  const data = tempDir("ab");
  const generated = spawnSync(
    process.execPath,
    [path.join(repoRoot, "samples/generate.ts"), "--rows", "300", "--seed", "1", "--out", data],
    { encoding: "utf8", timeout: 60_000 },
  );
  expect(generated.status).toBe(0);
  const run = spawnSync(
    process.execPath,
    [path.join(repoRoot, "scripts/ab.ts"), "--data", data, "--runs", "2", "a=.", "b=."],
    { cwd: repoRoot, encoding: "utf8", timeout: 60_000 },
  );
  expect(run.status).toBe(0);
  // Rounds alternate the order: a b, then b a.
  expect(run.stderr.split("\n").map((line) => line.split(":")[0])).toEqual([
    "a",
    "b",
    "b",
    "a",
    "",
  ]);
  expect(run.stdout).toMatch(/^a +wall min [\d.]+ median [\d.]+ {2}CPU min [\d.]+/m);
  expect(run.stdout).toMatch(
    /^b \/ a: CPU ratio per round [\d.]+, [\d.]+; median [\d.]+, lower in [0-2] of 2 rounds$/m,
  );
}, 120_000);
