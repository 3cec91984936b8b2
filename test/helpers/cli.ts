// Runs the real CLI as a child process (the way a scheduler does) and gathers what it printed.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
const entry = path.join(repoRoot, "bin/phin-submit.js");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = repoRoot,
): CliRun {
  const result = spawnSync(process.execPath, [entry, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The same, without blocking this process: needed whenever this process also serves the
 * child (the in-process sandbox), which spawnSync would freeze.
 */
export function runCliAsync(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = repoRoot,
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// Every folder tempDir makes is removed when the test file that made it is done (after the
// file's own afterAll hooks, which run first).
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `phin-${prefix}-`));
  made.push(dir);
  return dir;
}

/** A scratch copy of samples/ and mappings/ whose relative paths still work. */
export function copyOfSamples(): string {
  const dir = tempDir("samples");
  cpSync(path.join(repoRoot, "samples"), path.join(dir, "samples"), { recursive: true });
  cpSync(path.join(repoRoot, "mappings"), path.join(dir, "mappings"), { recursive: true });
  return dir;
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}

/** The JSON object a `--json` run printed last on stdout. */
export function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split("\n").at(-1) as string) as Record<string, unknown>;
}
