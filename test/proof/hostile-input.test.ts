// Hostile input corpus (test/proof/hostile-corpus.ts) through the real CLI as child processes,
// each with a 30 s time bound and a 256 MB heap: every case ends with a coded error and its
// documented exit code, never an internal error (70), a crash or a stack trace; no bundle or
// partial output file is left; no patient value appears in stdout, stderr or any file written.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, readJson, repoRoot, tempDir } from "../helpers/cli.ts";
import { limit, runBounded } from "./bounded.ts";
import { type CaseContext, type HostileCase, hostileCases, type Loose } from "./hostile-corpus.ts";

const piiValues = readJson<string[]>(path.join(repoRoot, "samples/pii-values.json"));
const bundleNames = /(^|\/)(episodes|proms|adverse_events)\.csv$|submission\.xml$|manifest\.json$/;

/** The sample config with every path absolute and the state in the case's folder. */
function baseConfig(xml: boolean, stateDir: string): Loose {
  const samples = path.join(repoRoot, "samples");
  const file = path.join(samples, xml ? "phin-xml.config.json" : "phin.config.json");
  const c = readJson<Loose>(file);
  const abs = (p: string) => path.resolve(samples, p);
  delete c.$schema;
  c.state_dir = stateDir;
  c.pseudonymisation.key_file = abs(c.pseudonymisation.key_file);
  for (const d of Object.values(c.datasets) as { mapping: string; source: { path: string } }[]) {
    d.mapping = abs(d.mapping);
    d.source.path = abs(d.source.path).replace("%7Bperiod%7D", "{period}");
  }
  for (const k of Object.keys(c.code_lists)) c.code_lists[k] = abs(c.code_lists[k]);
  return c;
}

const slot = limit(2);
async function runCase(c: HostileCase) {
  const dir = tempDir("hostile");
  const stateDir = path.join(dir, "state");
  const config = baseConfig(c.xml === true, stateDir);
  const ctx: CaseContext = {
    dir,
    config,
    write: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content, { mode: 0o600 });
      return file;
    },
  };
  c.build(ctx);
  const configFile = path.join(dir, "phin.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  const args = ctx.args ?? ["validate", "--config", configFile, "--period", "2026-10"];
  const run = await slot(() => runBounded(args, { timeoutMs: 30_000, maxOldSpaceMb: 256 }));
  return { run, stateDir };
}

describe("hostile input corpus through the CLI", () => {
  it("has at least 100 cases across every kind of input", () => {
    expect(hostileCases.length).toBeGreaterThanOrEqual(100);
    const groups = new Set(hostileCases.map((c) => c.group));
    expect([...groups].sort()).toEqual(["config", "csv", "mapping", "path", "period", "xml"]);
    expect(new Set(hostileCases.map((c) => c.name)).size).toBe(hostileCases.length);
  });

  it.concurrent.each(hostileCases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const { run, stateDir } = await runCase(c);
    const printed = run.stdout + run.stderr;
    expect(run.timedOut, "time bound hit").toBe(false);
    expect(run.signal, "killed by a signal").toBe(null);
    expect(printed).not.toMatch(/\n\s+at .*:\d+:\d+/); // no stack trace
    expect(run.code, printed).toBe(c.exit);
    expect(run.stderr).toMatch(/\b[A-Z][A-Z0-9_]{3,}\b|error: /); // a code (or USAGE, BLOCKED)
    const written = existsSync(stateDir) ? filesUnder(stateDir) : [];
    expect(written.filter((f) => bundleNames.test(f))).toEqual([]);
    const staging = path.join(stateDir, "staging");
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    const everything = [printed, ...written.map((f) => readFileSync(f, "utf8"))].join("\n");
    expect(piiValues.filter((v) => everything.includes(v))).toEqual([]);
  });
});
