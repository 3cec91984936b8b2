// What every command gets: the process's streams, environment and clock (injectable, so tests
// run the real CLI in-process with a fixed clock), and a way to set the exit code.
import { PhinError } from "../errors.ts";
import { type Period, parsePeriod, previousPeriod } from "../time/period.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}

export interface CommandContext {
  readonly io: CliIo;
  setExitCode(code: number): void;
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
