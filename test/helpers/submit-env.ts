// A scratch world for submit tests: the real sandbox in this process (so tests can read its
// request counters and script faults), a config pointing the real CLI at it, and helpers to
// run the CLI as a child process and read the ledger.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { transportSnippet } from "../../src/cli/commands/sandbox.ts";
import { type LedgerEntry, readLedger } from "../../src/receipt/ledger.ts";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.ts";
import { type CliRun, repoRoot, runCliAsync, tempDir } from "./cli.ts";

export interface SubmitEnv {
  readonly dir: string;
  readonly stateDir: string;
  readonly configFile: string;
  readonly sandbox: Sandbox;
  submit(env?: Record<string, string>, extra?: string[]): Promise<CliRun>;
  validate(env?: Record<string, string>, extra?: string[]): Promise<CliRun>;
  cli(args: string[], env?: Record<string, string>): Promise<CliRun>;
  ledger(): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}

export interface SubmitEnvOptions {
  readonly sandbox?: Omit<SandboxOptions, "dataDir">;
  /** Change the transport section (file paths, url, retry) before it is written. */
  readonly transport?: (t: Record<string, unknown>, dir: string) => Record<string, unknown>;
  /** Share another env's sandbox data dir (same certificates). */
  readonly sandboxDataDir?: string;
  /** Change the rest of the config (sources, thresholds) before it is written. */
  readonly config?: (c: Record<string, unknown>) => Record<string, unknown>;
}

export async function submitEnv(options: SubmitEnvOptions = {}): Promise<SubmitEnv> {
  const dir = tempDir("submit");
  const stateDir = path.join(dir, "state");
  const dataDir = options.sandboxDataDir ?? path.join(dir, "sandbox");
  mkdirSync(stateDir, { recursive: true });
  const sandbox = await startSandbox({
    dataDir,
    port: 0,
    processingDelayMs: 100,
    ...options.sandbox,
  });
  const samples = path.join(repoRoot, "samples");
  const config = JSON.parse(readFileSync(path.join(samples, "phin.config.json"), "utf8"));
  const abs = (p: string) => path.resolve(samples, p);
  const base = transportSnippet(dataDir, sandbox.url).transport;
  const transport = { ...base, retry: { base_ms: 50, max_ms: 400 } };
  const full = {
    ...config,
    state_dir: stateDir,
    pseudonymisation: {
      ...config.pseudonymisation,
      key_file: abs(config.pseudonymisation.key_file),
    },
    datasets: Object.fromEntries(
      Object.entries(
        config.datasets as Record<string, { mapping: string; source: { path: string } }>,
      ).map(([n, d]) => [n, { mapping: abs(d.mapping), source: { path: abs(d.source.path) } }]),
    ),
    code_lists: Object.fromEntries(
      Object.entries(config.code_lists as Record<string, string>).map(([k, v]) => [k, abs(v)]),
    ),
    transport: options.transport ? options.transport(transport, dir) : transport,
  };
  delete full.$schema;
  const configFile = path.join(dir, "phin.config.json");
  writeFileSync(configFile, JSON.stringify(options.config ? options.config(full) : full, null, 2));
  return {
    dir,
    stateDir,
    configFile,
    sandbox,
    cli: (args, env = {}) => runCliAsync(args, env),
    submit: (env = {}, extra = []) =>
      runCliAsync(["submit", "--config", configFile, "--period", "2026-10", ...extra], env),
    validate: (env = {}, extra = []) =>
      runCliAsync(["validate", "--config", configFile, "--period", "2026-10", ...extra], env),
    ledger: async () => (await readLedger(path.join(stateDir, "ledger.jsonl"))).entries,
    close: async () => {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
