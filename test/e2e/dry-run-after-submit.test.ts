// A dry run of a month PHIN already received leaves the sent month's folder alone: its files
// and its report (with the receipt) stay as submit left them; the dry run gets a folder of its own.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { lastJson } from "../helpers/cli.ts";
import { type SubmitEnv, submitEnv } from "../helpers/submit-env.ts";

let env: SubmitEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Every file under `dir` with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
  return Object.fromEntries(
    files.map((f) => [f, readFileSync(path.join(dir, f), "latin1")] as const),
  );
}

it("validate of a submitted month writes its own folder and leaves the sent one and its receipt alone", async () => {
  env = await submitEnv();
  const sent = await env.submit(undefined, ["--json"]);
  expect(sent.code, sent.stderr).toBe(0);
  const sentDir = String(lastJson(sent.stdout).out_dir);
  const before = snapshot(sentDir);
  expect(JSON.parse(before["report.json"] as string).receipt).toBeTruthy();

  const dry = await env.validate(undefined, ["--json"]);
  expect(dry.code, dry.stderr).toBe(0);
  const dryOut = lastJson(dry.stdout);
  const dryDir = String(dryOut.out_dir);
  expect(path.dirname(dryDir)).toBe(path.dirname(sentDir));
  expect(path.basename(dryDir)).toMatch(/^dry-run-/);
  expect(dryOut.submission_id).toBe(lastJson(sent.stdout).submission_id);
  expect(snapshot(sentDir)).toEqual(before);
  expect(env.sandbox.counters.total).toBeGreaterThan(0);
});
