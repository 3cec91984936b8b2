// What every command gets: the process's streams, environment and clock (injectable, so tests
// run the real CLI in-process with a fixed clock), and a way to set the exit code.
import { loadConfig } from "../config/load-config.ts";
import { EXIT_OK, exitCodeOf, PhinError } from "../errors.ts";
import { createRunLog, type Log } from "../log/run-log.ts";
import { newRunId } from "../pipeline/run-id.ts";
import { type Period, parsePeriod, previousPeriod } from "../time/period.ts";
import type { OnWait } from "../transmit/retry-policy.ts";
import { createProgressBar, type ProgressBar } from "./progress.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  /** stderr is a terminal: progress and network waits are shown there. */
  readonly stderrIsTTY: boolean;
}

/** Options every command takes (commander global options). */
export interface GlobalOptions {
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly color: boolean;
  readonly stateDir?: string | undefined;
}

export interface CommandContext {
  readonly io: CliIo;
  setExitCode(code: number): void;
  globals(): GlobalOptions;
}

export function periodOf(text: string, now: Date): Period {
  if (text === "previous") return previousPeriod(now);
  const period = parsePeriod(text);
  if (period === undefined) {
    throw new PhinError(
      "USAGE",
      `--period must be YYYY-MM or "previous", got ${JSON.stringify(text.slice(0, 20))}`,
      { stage: "cli", field: "--period" },
    );
  }
  return period;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value)}\n`);
}

/** Human output, unless --quiet. */
export function say(ctx: CommandContext, text: string): void {
  if (!ctx.globals().quiet) ctx.io.stdout(text.endsWith("\n") ? text : `${text}\n`);
}

/** Colour only on a terminal, and never with NO_COLOR or --no-color. */
export function paint(ctx: CommandContext, code: "green" | "red" | "yellow", text: string): string {
  const tty = (process.stdout as { isTTY?: boolean }).isTTY === true;
  if (!tty || !ctx.globals().color || ctx.io.env.NO_COLOR !== undefined) return text;
  const c = { green: 32, red: 31, yellow: 33 }[code];
  return `\u001b[${c}m${text}\u001b[0m`;
}

/** Load the config with the command line's overrides (flags > env > file > defaults). */
export async function loadWithFlags(ctx: CommandContext, file: string) {
  const stateDir = ctx.globals().stateDir;
  return loadConfig(file, ctx.io.env, stateDir === undefined ? {} : { state_dir: stateDir });
}

/** How a run ended, as its last run log line says: outcome, exit code, counts where known. */
export interface RunEnd {
  readonly outcome: string;
  readonly exitCode: number;
  readonly counts?: unknown;
}

/**
 * Run a command's work with a run id and a run log in the state directory. The log ends with
 * exactly one `run.end` line, failures included (with the error's code and place); network
 * waits are logged, and shown on a terminal when output is for people.
 */
export async function withRunLog<T>(
  ctx: CommandContext,
  loaded: { resolve(p: string): string; config: { state_dir: string } },
  run: { command: string; json?: boolean | undefined; end: (result: T) => RunEnd },
  work: (run: { runId: string; log: Log; onWait: OnWait }) => Promise<T>,
): Promise<T> {
  const runId = newRunId(ctx.io.now());
  const started = Date.now();
  const runLog = createRunLog({
    stateDir: loaded.resolve(loaded.config.state_dir),
    runId,
    verbose: ctx.globals().verbose,
    stderr: ctx.io.stderr,
  });
  const { log } = runLog;
  const { command } = run;
  log.info({ stage: "cli", event: "run.start", command }, `${command} started`);
  const onWait = waitLines(ctx, run.json, log);
  const ended = (fields: Record<string, unknown>, level: "info" | "warn" | "error") =>
    log[level](
      { stage: "cli", event: "run.end", command, ...fields, duration_ms: Date.now() - started },
      `${command} ended: ${String(fields.outcome)}`,
    );
  try {
    const result = await work({ runId, log, onWait });
    const { outcome, exitCode, counts } = run.end(result);
    // A run without counts (status) leaves the key out: the log drops undefined values.
    ended({ outcome, exit_code: exitCode, counts }, exitCode === EXIT_OK ? "info" : "warn");
    return result;
  } catch (error) {
    ended({ outcome: "failed", exit_code: exitCodeOf(error), err: error }, "error");
    throw error;
  } finally {
    runLog.close();
  }
}

/** Network waits over 2 s: logged, and one stderr line each on a terminal for people. */
export function waitLines(ctx: CommandContext, json: boolean | undefined, log?: Log): OnWait {
  const show = forPeopleOnTerminal(ctx, json);
  return (wait) => {
    log?.info({ stage: "transmit", event: "network.wait", ...wait }, "waiting");
    if (show) {
      ctx.io.stderr(`\r\u001b[Kphin-submit: waiting up to ${wait.seconds} s for ${wait.what}\n`);
    }
  };
}

/** stderr is a terminal and output is for people (not --json, --quiet or --verbose). */
function forPeopleOnTerminal(ctx: CommandContext, json: boolean | undefined): boolean {
  const g = ctx.globals();
  return ctx.io.stderrIsTTY && json !== true && !g.quiet && !g.verbose;
}

/** A progress bar on stderr when it is a terminal and output is for people; otherwise none. */
export function progressFor(
  ctx: CommandContext,
  json: boolean | undefined,
): ProgressBar | undefined {
  return forPeopleOnTerminal(ctx, json) ? createProgressBar({ write: ctx.io.stderr }) : undefined;
}
