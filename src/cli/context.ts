// What every command gets: the process's streams, environment and clock (injectable, so tests
// run the real CLI in-process with a fixed clock), and a way to set the exit code.
import { loadConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import { createRunLog, type Log, serialiseError } from "../log/run-log.ts";
import { newRunId } from "../pipeline/run-id.ts";
import { type Period, parsePeriod, previousPeriod } from "../time/period.ts";
import { createProgressBar, type ProgressBar } from "./progress.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
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
      {
        stage: "cli",
        field: "--period",
      },
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

/** Run a command's work with a run id and a run log in the state directory. */
export async function withRunLog<T>(
  ctx: CommandContext,
  loaded: { resolve(p: string): string; config: { state_dir: string } },
  command: string,
  work: (run: { runId: string; log: Log }) => Promise<T>,
): Promise<T> {
  const runId = newRunId(ctx.io.now());
  const started = Date.now();
  const runLog = createRunLog({
    stateDir: loaded.resolve(loaded.config.state_dir),
    runId,
    verbose: ctx.globals().verbose,
    stderr: ctx.io.stderr,
  });
  runLog.log.info({ stage: "cli", event: "run.start", command }, `${command} started`);
  try {
    const result = await work({ runId, log: runLog.log });
    runLog.log.info(
      { stage: "cli", event: "run.end", command, duration_ms: Date.now() - started },
      `${command} finished`,
    );
    return result;
  } catch (error) {
    runLog.log.error(
      {
        stage: "cli",
        event: "run.failed",
        command,
        duration_ms: Date.now() - started,
        err: serialiseError(error),
      },
      `${command} failed`,
    );
    throw error;
  } finally {
    runLog.close();
  }
}

/** A progress bar on stderr when it is a terminal and output is for people; otherwise none. */
export function progressFor(
  ctx: CommandContext,
  json: boolean | undefined,
): ProgressBar | undefined {
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true;
  const g = ctx.globals();
  if (!tty || json === true || g.quiet || g.verbose) return undefined;
  return createProgressBar({ write: ctx.io.stderr });
}
