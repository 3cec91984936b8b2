// What the proof suites share: the real CLI as a child process with a time and a memory bound,
// and a limit on how many such children run at once (the suites run inside `npm test`).
import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../helpers/cli.ts";

const entry = path.join(repoRoot, "bin/phin-submit.js");

export interface BoundedRun {
  /** The exit code; null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The time bound was hit (the child was killed). */
  readonly timedOut: boolean;
}

export interface Bounds {
  readonly timeoutMs?: number;
  readonly maxOldSpaceMb?: number;
  readonly env?: Record<string, string>;
}

/** Runs `phin-submit args` with a heap limit, killed with SIGKILL past the time bound. */
export function runBounded(args: readonly string[], bounds: Bounds = {}): Promise<BoundedRun> {
  const { timeoutMs = 30_000, maxOldSpaceMb = 256, env = {} } = bounds;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${maxOldSpaceMb}`, entry, ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1", ...env } },
    );
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** At most `n` of the wrapped calls run at once; the rest wait their turn. */
export function limit(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= n) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
