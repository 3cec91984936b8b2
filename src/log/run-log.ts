// Structured logs per run: JSON lines (pino) in <state>/runs/<run_id>.log, and on stderr with
// --verbose. Events carry the run id, stage, counts and durations, never record values; errors
// are logged through an allow-list, and redaction of secret-looking keys is the second line of
// defence, not the first.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { isPhinError } from "../errors.ts";

export type Log = pino.Logger;

/** Keys never written, wherever they appear in a log event. */
export const redactedPaths = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers",
  "*.headers",
  "key",
  "*.key",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "body",
  "*.body",
];

/** Only our own errors' allow-listed fields; a library error becomes its name and code. */
export function serialiseError(error: unknown): Record<string, unknown> {
  if (isPhinError(error)) return error.toJSON();
  if (error instanceof Error)
    return { type: error.name, code: (error as NodeJS.ErrnoException).code ?? null };
  return { type: typeof error };
}

export const silentLog: Log = pino({ enabled: false });

export interface RunLogOptions {
  readonly stateDir: string;
  readonly runId: string;
  /** Also write every event to stderr. */
  readonly verbose: boolean;
  readonly stderr: (text: string) => void;
}

export interface RunLog {
  readonly log: Log;
  readonly file: string;
  close(): void;
}

export function createRunLog(options: RunLogOptions): RunLog {
  const dir = path.join(options.stateDir, "runs");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${options.runId}.log`);
  const destination = pino.destination({ dest: file, sync: true, mode: 0o600, mkdir: true });
  const streams: pino.StreamEntry[] = [{ stream: destination }];
  if (options.verbose) {
    streams.push({
      stream: new Writable({
        write(chunk, _encoding, done) {
          options.stderr(String(chunk));
          done();
        },
      }),
    });
  }
  const log = pino(
    {
      base: { run_id: options.runId },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: "[redacted]" },
      serializers: { err: serialiseError, error: serialiseError },
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.multistream(streams),
  );
  return { log, file, close: () => destination.flushSync() };
}
