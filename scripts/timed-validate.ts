// One `phin-submit validate` run, timed by the OS, exactly as the installed command runs: the
// variables and node flags of bin/phin-submit.js's shebang (`#!/usr/bin/env -S NAME=value ...
// node --flag ...`) are read from the checkout under test, so an older checkout runs with its
// own. Shared by the benchmark (scripts/bench.ts) and the A/B comparison (scripts/ab.ts).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface TimedRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly exit: number;
  /** Dataset -> records read per second of its own pass, from the run log's `dataset.done`. */
  readonly passRecordsPerS: Record<string, number>;
}

/** The environment variables and node flags on the first line of `root`'s bin/phin-submit.js. */
export function shebangOf(root: string): { env: Record<string, string>; nodeFlags: string[] } {
  const line = readFileSync(path.join(root, "bin/phin-submit.js"), "utf8").split("\n")[0] ?? "";
  // Today's plain `#!/usr/bin/env node` carries none; older checkouts set them after `env -S`.
  if (!line.startsWith("#!/usr/bin/env -S ")) return { env: {}, nodeFlags: [] };
  const [envWords, flagWords] = line
    .replace(/^#!\/usr\/bin\/env -S /, "")
    .split(/(?:^|\s)node(?:\s|$)/)
    .map((words) => words.trim().split(/\s+/).filter(Boolean));
  const env = Object.fromEntries(
    (envWords ?? []).map((word) => [
      word.slice(0, word.indexOf("=")),
      word.slice(word.indexOf("=") + 1),
    ]),
  );
  return { env, nodeFlags: flagWords ?? [] };
}

/**
 * `validate` of the configuration in `dir` (period 2026-10) with `root`'s command, under
 * /usr/bin/time: wall time, CPU time (user + system, every thread) and peak RSS.
 */
export function timedValidate(root: string, dir: string): TimedRun {
  const { env, nodeFlags } = shebangOf(root);
  const logsBefore = new Set(runLogs(dir));
  const started = performance.now();
  const run = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      "%M %U %S",
      process.execPath,
      ...nodeFlags,
      path.join(root, "bin/phin-submit.js"),
      "validate",
      "--config",
      path.join(dir, "phin.config.json"),
      "--period",
      "2026-10",
      "--quiet",
    ],
    { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, ...env } },
  );
  const seconds = (performance.now() - started) / 1000;
  // 0 (ready) or 65 (blocked) are verdicts; anything else means the run broke and its timing
  // would measure nothing.
  if (run.status !== 0 && run.status !== 65) {
    throw new Error(`validate of ${dir} exited ${run.status}: ${run.stdout.slice(-500)}`);
  }
  const [kb, user, sys] = (run.stderr.trim().split("\n").at(-1) ?? "").split(" ").map(Number);
  return {
    seconds,
    cpuSeconds: Math.round(((user ?? 0) + (sys ?? 0)) * 100) / 100,
    peakRssMb: Math.round((kb ?? 0) / 1024),
    exit: run.status ?? -1,
    passRecordsPerS: passRates(dir, logsBefore),
  };
}

/** The run logs in the state folder of the configuration in `dir` (relative to the file). */
function runLogs(dir: string): string[] {
  const config = JSON.parse(readFileSync(path.join(dir, "phin.config.json"), "utf8")) as {
    state_dir: string;
  };
  const runs = path.resolve(dir, config.state_dir, "runs");
  try {
    return readdirSync(runs).map((f) => path.join(runs, f));
  } catch {
    return []; // no run yet
  }
}

/**
 * Each pass's own rate, from the log the run just wrote: where a run's time went without a
 * profiler (which inflates small, frequent functions on these machines). Empty when the log
 * cannot be told apart (none new, or several).
 */
function passRates(dir: string, before: ReadonlySet<string>): Record<string, number> {
  const fresh = runLogs(dir).filter((f) => !before.has(f));
  if (fresh.length !== 1) return {};
  const rates: Record<string, number> = {};
  for (const line of readFileSync(fresh[0] as string, "utf8").split("\n")) {
    if (!line.includes('"dataset.done"')) continue;
    const entry = JSON.parse(line) as { dataset?: string; records_per_s?: number | null };
    if (typeof entry.dataset === "string" && typeof entry.records_per_s === "number")
      rates[entry.dataset] = entry.records_per_s;
  }
  return rates;
}
