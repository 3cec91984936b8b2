// What every command gets: the process's streams and environment, the clock (the system's, or
// PHIN_NOW for tests), the global options, and the steps commands share: loading the config,
// running in a run log, printing for people or as JSON.
import { Option } from "commander";
import { type LoadedConfig, loadConfig } from "../config/load-config.ts";
import { EXIT_OK, exitCodeOf, exitCodeTable, PhinError } from "../errors.ts";
import { sweepStaging } from "../io/staging.ts";
import { createRunLog, type Log } from "../log/run-log.ts";
import type { PassProgress } from "../pipeline/dataset-pass.ts";
import { newRunId } from "../pipeline/run-id.ts";
import { clockFrom } from "../time/clock.ts";
import { type Period, parsePeriod, previousPeriod } from "../time/period.ts";
import type { OnWait } from "../transmit/retry-policy.ts";
import { createProgressBar } from "./progress.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** stderr is a terminal: progress and network waits are shown there. */
  readonly stderrIsTTY: boolean;
}

/** Options every command takes (commander global options, as commander parses them). */
export interface GlobalOptions {
  readonly verbose?: true;
  readonly quiet?: true;
  readonly color: boolean;
  readonly stateDir?: string;
}

/** Options of the commands that read the configuration, as commander parses them. */
export interface CommandOptions {
  readonly config: string;
  readonly json?: true;
}

/** The exit code table, at the end of the help of every command that runs. */
export const exitHelp = `\nExit codes:\n${exitCodeTable.map(([code, text]) => `  ${String(code).padEnd(4)}${text}`).join("\n")}\n`;

export const configOption = () =>
  new Option("--config <file>", "configuration file").default("phin.config.json");

/** How a run ended, as its last run log line says: outcome, exit code, counts where known. */
export interface RunEnd {
  readonly outcome: string;
  readonly exitCode: number;
  readonly counts?: unknown;
}

/** A command that runs in a run log (validate, submit, status), and what it prints. */
export interface LoggedCommand<T> {
  readonly command: string;
  work(run: {
    readonly runId: string;
    readonly log: Log;
    readonly onWait: OnWait;
    readonly onProgress: (progress: PassProgress) => void;
  }): Promise<T>;
  end(result: T): RunEnd;
  /** The `--json` object (schemas/cli/), and the lines for people. */
  toJson(result: T, exitCode: number): unknown;
  toText(result: T): string;
}

export class CommandContext {
  readonly io: CliIo;
  readonly globals: () => GlobalOptions;
  /** What main() returns once the command has run. */
  exitCode: number = EXIT_OK;
  #clock: (() => Date) | undefined;

  constructor(io: CliIo, globals: () => GlobalOptions) {
    this.io = io;
    this.globals = globals;
  }

  /** The current instant (PHIN_NOW when set: testing only). Read when a command runs. */
  readonly now = (): Date => {
    this.#clock ??= clockFrom(this.io.env);
    return this.#clock();
  };

  period(text: string): Period {
    if (text === "previous") return previousPeriod(this.now());
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

  /** Staging folders of dead runs removed when the config was loaded (logged by runLogged). */
  swept: readonly string[] = [];

  /**
   * The config with the command line's overrides (flags > env > file > defaults). Every command
   * that reads one first removes the staging folders of runs whose process is gone.
   */
  async load(file: string): Promise<LoadedConfig> {
    const stateDir = this.globals().stateDir;
    const loaded = await loadConfig(
      file,
      this.io.env,
      stateDir === undefined ? {} : { state_dir: stateDir },
    );
    this.swept = await sweepStaging(loaded.resolve(loaded.config.state_dir));
    return loaded;
  }

  printJson(value: unknown): void {
    this.io.stdout(`${JSON.stringify(value)}\n`);
  }

  /** Human output, unless --quiet. */
  say(text: string): void {
    if (!this.globals().quiet) this.io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  }

  /** Colour only on a terminal, and never with NO_COLOR or --no-color. */
  paint(code: "green" | "red", text: string): string {
    const tty = (process.stdout as { isTTY?: boolean }).isTTY === true;
    if (!tty || !this.globals().color || this.io.env.NO_COLOR !== undefined) return text;
    const c = { green: 32, red: 31 }[code];
    return `\u001b[${c}m${text}\u001b[0m`;
  }

  /**
   * Run a command's work with a run id and a run log in the state directory, then print its
   * result and set the exit code. The log ends with exactly one `run.end` line, failures
   * included (with the error's code and place). Network waits are logged, and shown on a
   * terminal when output is for people, as is a progress bar.
   */
  async runLogged<T>(
    loaded: LoadedConfig,
    json: boolean | undefined,
    spec: LoggedCommand<T>,
  ): Promise<{ result: T; exitCode: number }> {
    const runId = newRunId(this.now());
    const started = Date.now();
    const runLog = createRunLog({
      stateDir: loaded.resolve(loaded.config.state_dir),
      runId,
      verbose: this.globals().verbose === true,
      stderr: this.io.stderr,
    });
    const { log } = runLog;
    const { command } = spec;
    log.info({ stage: "cli", event: "run.start", command }, `${command} started`);
    if (this.swept.length > 0) {
      const event = { stage: "cli", event: "staging.swept", run_ids: this.swept };
      log.info(event, "removed the staging folders of runs that are gone");
    }
    const ended = (fields: Record<string, unknown>, level: "info" | "warn" | "error") =>
      log[level](
        { stage: "cli", event: "run.end", command, ...fields, duration_ms: Date.now() - started },
        `${command} ended: ${String(fields.outcome)}`,
      );
    const onWait = this.waitLines(json, log);
    const bar = this.forPeopleOnTerminal(json)
      ? createProgressBar({ write: this.io.stderr })
      : null;
    let result: T;
    let end: RunEnd;
    try {
      result = await spec.work({ runId, log, onWait, onProgress: (p) => bar?.update(p) });
      end = spec.end(result);
      // A run without counts (status) leaves the key out: the log drops undefined values.
      const { outcome, exitCode, counts } = end;
      ended({ outcome, exit_code: exitCode, counts }, exitCode === EXIT_OK ? "info" : "warn");
    } catch (error) {
      ended({ outcome: "failed", exit_code: exitCodeOf(error), err: error }, "error");
      throw error;
    } finally {
      bar?.done();
      runLog.close();
    }
    if (json) this.printJson(spec.toJson(result, end.exitCode));
    else this.say(spec.toText(result));
    this.exitCode = end.exitCode;
    return { result, exitCode: end.exitCode };
  }

  /** Network waits over 2 s: logged, and one stderr line each on a terminal for people. */
  waitLines(json: boolean | undefined, log?: Log): OnWait {
    const show = this.forPeopleOnTerminal(json);
    return (wait) => {
      log?.info({ stage: "transmit", event: "network.wait", ...wait }, "waiting");
      if (show) {
        this.io.stderr(`\r\u001b[Kphin-submit: waiting up to ${wait.seconds} s for ${wait.what}\n`);
      }
    };
  }

  /** stderr is a terminal and output is for people (not --json, --quiet or --verbose). */
  private forPeopleOnTerminal(json: boolean | undefined): boolean {
    const g = this.globals();
    return this.io.stderrIsTTY && json !== true && !g.quiet && !g.verbose;
  }
}
